import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { ConfigError } from './config-error.js';
import { sortDiagnostics, type Diagnostic } from './diagnostic.js';
import { displayPath, howFileLeaves } from './display-path.js';
import { CaseDataSource } from './case-data-source.js';
import { ImageSource } from './image-source.js';
import { ScriptSource } from './script-source.js';
import { JsonSchemaCompiler } from './json-schema-compiler.js';
import { JsonSchemaSource } from './json-schema-source.js';
import { loadConfig, type ResolvedConfig } from './load-config.js';
import type { LoadedSuite } from './loaded-suite.js';
import { loadSuite } from './load-suite.js';
import type { GateOnSpec } from './resolve-gate-on.js';
import { YamlSource } from './yaml-source.js';

/** A configuration and its suites, every one valid. */
export interface Project {
  config: ResolvedConfig;
  suites: LoadedSuite[];
  /** Problems that do not stop a run (a setting that will be ignored, say). */
  warnings: Diagnostic[];
}

export interface LoadProjectOptions {
  cwd: string;
  /** `--config`; by default evalconfig.yaml in `cwd`, if there is one. */
  configPath?: string;
  /** Suite files, folders or globs from the command line, relative to `cwd`; by default the config's `suites`. */
  suitePaths?: readonly string[];
  /** `--gate-on`: replaces the `gateOn` of every suite and of the config. */
  gateOnOverride?: GateOnSpec;
}

/**
 * The `load` stage: reads the config and every suite, and checks everything a user can get wrong
 * before any request is sent. Throws one {@link ConfigError} listing every problem in every file.
 */
export async function loadProject(options: LoadProjectOptions): Promise<Project> {
  const { config, diagnostics: configDiagnostics } = await loadConfig(options);
  if (!config) throw new ConfigError(sortDiagnostics(configDiagnostics));

  const diagnostics: Diagnostic[] = [...configDiagnostics];
  const files = await findSuiteFiles(options, config, diagnostics);
  const schemas = new JsonSchemaSource(new JsonSchemaCompiler(), config.rootDir, options.cwd);
  const images = new ImageSource(config.rootDir, options.cwd, config.maxImageBytes);
  const data = new CaseDataSource(config.rootDir, options.cwd);
  const scripts = new ScriptSource(config.rootDir, options.cwd);
  const suites: LoadedSuite[] = [];
  const namesSeen = new Map<string, string>();

  for (const file of files) {
    const shown = displayPath(file, options.cwd);
    const how = await howFileLeaves(config.rootDir, file);
    if (how !== undefined) {
      diagnostics.push(outsideProject(shown, how, config, options.cwd));
      continue;
    }
    const source = await YamlSource.read(file, shown);
    if (Array.isArray(source)) {
      diagnostics.push(...source);
      continue;
    }
    const { suite, diagnostics: found } = await loadSuite(source, file, { config, schemas, images, data, scripts, ...(options.gateOnOverride ? { gateOnOverride: options.gateOnOverride } : {}) });
    diagnostics.push(...source.warnings, ...found);
    if (!suite) continue;
    const other = namesSeen.get(suite.name);
    if (other !== undefined) {
      diagnostics.push(source.diagnostic(['suite'], 'DUPLICATE_SUITE', `suite name "${suite.name}" is also used by ${other}`, { hint: 'suite names must be unique across a run' }));
      continue;
    }
    namesSeen.set(suite.name, shown);
    suites.push(suite);
  }

  const unique = dedupe(diagnostics);
  if (unique.some((d) => d.severity === 'error')) throw new ConfigError(sortDiagnostics(unique));
  return { config, suites, warnings: sortDiagnostics(unique) };
}

async function findSuiteFiles(options: LoadProjectOptions, config: ResolvedConfig, diagnostics: Diagnostic[]): Promise<string[]> {
  const explicit = options.suitePaths && options.suitePaths.length > 0;
  const base = explicit ? options.cwd : config.rootDir;
  const patterns = explicit ? [...options.suitePaths!] : config.suites;
  const found = new Set<string>();
  const problemsBefore = diagnostics.length;
  const emptyGlobs: string[] = [];
  for (const pattern of patterns) {
    const absolute = path.resolve(base, pattern);
    if (!isDynamicPattern(pattern)) {
      if (!existsSync(absolute)) {
        diagnostics.push(notFound(pattern, `${pattern} does not exist`, explicit ? 'check the path' : config.configFile ? `check suites: in ${configName(config, options.cwd)}` : NO_CONFIG_HINT));
        continue;
      }
      if (statSync(absolute).isFile()) {
        found.add(absolute);
        continue;
      }
    }
    const globPattern = isDynamicPattern(pattern) ? pattern : `${pattern.replace(/[\\/]$/, '')}/**/*.{yaml,yml}`;
    const matches = await glob(globPattern, { cwd: base, absolute: true, onlyFiles: true, expandDirectories: false });
    matches.sort().forEach((m) => found.add(path.normalize(m)));
    if (matches.length === 0 && isDynamicPattern(pattern)) emptyGlobs.push(pattern);
  }
  // A glob that matches nothing is a mistake only when nothing else matched either (the defaults list
  // both *.yaml and *.yml, and a project rarely has both).
  const hint = explicit ? 'check the pattern' : config.configFile ? `check suites: in ${configName(config, options.cwd)}` : NO_CONFIG_HINT;
  for (const pattern of emptyGlobs) {
    diagnostics.push({ ...notFound(pattern, `no suite files match ${pattern}`, hint), severity: found.size > 0 ? 'warning' : 'error' });
  }
  if (found.size === 0 && diagnostics.length === problemsBefore) {
    diagnostics.push({
      severity: 'error', code: 'NO_SUITES', file: configName(config, options.cwd), line: 1, column: 1, length: 1,
      message: 'no suite files found', hint: 'pass suite files to the command, or run `evalgate init` to create an example',
    });
  }
  return [...found];
}

/** No evalconfig.yaml and no suite named: most likely a folder evalgate has not been set up in yet. */
const NO_CONFIG_HINT = 'there is no evalconfig.yaml here: run `evalgate init` to create one with an example suite, or name suite files on the command line';

function notFound(pattern: string, message: string, hint: string): Diagnostic {
  return { severity: 'error', code: 'NO_SUITES', file: pattern, line: 1, column: 1, length: 1, message, hint };
}

/** A suite that is not the project's own file is never read (and so never quoted in an error). */
function outsideProject(shown: string, how: string, config: ResolvedConfig, cwd: string): Diagnostic {
  const root = displayPath(config.rootDir, cwd) || '.';
  return {
    severity: 'error', code: 'PATH_OUTSIDE_PROJECT', file: shown, line: 1, column: 1, length: 1,
    message: `suite ${shown} leaves the project folder${how}; it was not read`,
    hint: how ? `keep suites under ${root}, as files, not links to elsewhere` : `the project folder is ${root} (${config.configFile ? 'where the config is' : 'the working folder: there is no evalconfig.yaml'}); run evalgate from the project that holds the suite, or point --config at its evalconfig.yaml`,
  };
}

function configName(config: ResolvedConfig, cwd: string): string {
  return config.configFile ? displayPath(config.configFile, cwd) : 'evalconfig.yaml (defaults)';
}

/** Suite-level problems are found once per case; report each place once. */
function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.file}:${d.line}:${d.column}:${d.code}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
