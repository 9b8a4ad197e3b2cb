import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigSpecSchema, type ConfigSpec } from './config-schema.js';
import type { Diagnostic } from './diagnostic.js';
import { DEFAULT_MODELS } from './default-models.js';
import { ModelSpecSchema, ModelTable, type ModelSpec } from './model-table.js';
import { displayPath, howFileLeaves } from './display-path.js';
import { diagnosticsFromZod, formatPath } from './zod-diagnostics.js';
import { YamlSource } from './yaml-source.js';

/** The configuration a run uses: the file's values over the defaults, paths made absolute. */
export interface ResolvedConfig extends Omit<ConfigSpec, 'models'> {
  /** The project folder: where evalconfig.yaml lives, else the working folder. Relative paths start here. */
  rootDir: string;
  /** The config file that was read, if any. */
  configFile?: string;
  models: ModelTable;
  /** The model overrides as written, for the run's record of its configuration. */
  modelOverrides: Record<string, Partial<ModelSpec>>;
}

export const CONFIG_FILE_NAMES = ['evalconfig.yaml', 'evalconfig.yml'] as const;

/** Fields a model added under `models:` must give (the others have defaults or are optional). */
const REQUIRED_MODEL_KEYS = Object.entries(ModelSpecSchema.shape)
  .filter(([, field]) => !field.safeParse(undefined).success)
  .map(([key]) => key);

/**
 * Reads `evalconfig.yaml` (the given path, or the one in `cwd`, or none: every key has a default).
 * Returns the config (with any warnings as diagnostics), or the diagnostics that prevent one.
 */
export async function loadConfig(options: { cwd: string; configPath?: string }): Promise<{ config?: ResolvedConfig; diagnostics: Diagnostic[] }> {
  const { cwd } = options;
  let file: string | undefined;
  if (options.configPath !== undefined) {
    file = path.resolve(cwd, options.configPath);
    if (!existsSync(file)) {
      return {
        diagnostics: [{
          severity: 'error', code: 'FILE_NOT_FOUND', file: options.configPath, line: 1, column: 1, length: 1,
          message: `config file ${options.configPath} does not exist`, hint: 'check --config, or omit it to use evalconfig.yaml or the defaults',
        }],
      };
    }
  } else {
    file = CONFIG_FILE_NAMES.map((n) => path.join(cwd, n)).find((p) => existsSync(p));
    // The config found by itself is the project's own file; one that --config names is read wherever it is.
    if (file !== undefined && (await howFileLeaves(cwd, file)) !== undefined) {
      const shown = displayPath(file, cwd);
      return {
        diagnostics: [{
          severity: 'error', code: 'PATH_OUTSIDE_PROJECT', file: shown, line: 1, column: 1, length: 1,
          message: `${shown} leaves the project folder, through a symlink; it was not read`,
          hint: `name it with --config ${shown} if it is meant to be used, or replace the link by the file`,
        }],
      };
    }
  }

  if (file === undefined) {
    const spec = ConfigSpecSchema.parse({});
    return { config: resolve(spec, cwd, undefined), diagnostics: [] };
  }

  const shown = displayPath(file, cwd);
  const source = await YamlSource.read(file, shown);
  if (Array.isArray(source)) {
    // An empty config is a config of defaults, like one of comments only.
    if (source.every((d) => d.code === 'EMPTY_FILE')) return { config: resolve(ConfigSpecSchema.parse({}), path.dirname(file), file), diagnostics: [] };
    return { diagnostics: source };
  }
  const raw = source.value ?? {};
  const parsed = ConfigSpecSchema.safeParse(raw);
  if (!parsed.success) return { diagnostics: diagnosticsFromZod(parsed.error.issues, source, ConfigSpecSchema) };

  const diagnostics: Diagnostic[] = [];
  for (const [id, override] of Object.entries(parsed.data.models)) {
    const isNew = DEFAULT_MODELS[id] === undefined;
    const merged: Record<string, unknown> = { ...DEFAULT_MODELS[id], ...override };
    const check = ModelSpecSchema.safeParse(merged);
    for (const issue of check.error?.issues ?? []) {
      const key = issue.path.map(String).join('.');
      const isMissing = issue.path.length === 1 && merged[key] === undefined;
      diagnostics.push(
        source.diagnostic(['models', id], isMissing ? 'MISSING_KEY' : 'INVALID_VALUE', isMissing ? `model "${id}" is missing "${key}"` : `${formatPath(['models', id, ...(issue.path as (string | number)[])])}: ${issue.message}`, {
          atKey: true,
          hint: isNew ? `a model not in the built-in table needs: ${REQUIRED_MODEL_KEYS.join(', ')}` : undefined,
        }),
      );
    }
  }
  // The default folder may be missing (no scenarios: placeholder answers, said in every report); one named here may not.
  const isScenariosWritten = (raw as { simulator?: { scenarios?: unknown } }).simulator?.scenarios !== undefined;
  if (isScenariosWritten && !existsSync(path.resolve(path.dirname(file), parsed.data.simulator.scenarios))) {
    diagnostics.push(
      source.diagnostic(['simulator', 'scenarios'], 'FILE_NOT_FOUND', `simulator.scenarios: folder ${parsed.data.simulator.scenarios} does not exist`, {
        hint: 'create it (evalgate scenario <suite> writes a scenario into it), fix the path (relative to this file), or remove the key',
      }),
    );
  }
  if (diagnostics.length) return { diagnostics };
  return { config: resolve(parsed.data, path.dirname(file), file), diagnostics: source.warnings };
}

function resolve(spec: ConfigSpec, rootDir: string, configFile: string | undefined): ResolvedConfig {
  const table: Record<string, ModelSpec> = { ...DEFAULT_MODELS };
  for (const [id, override] of Object.entries(spec.models)) table[id] = ModelSpecSchema.parse(overrideModel(DEFAULT_MODELS[id], override));
  const { models, ...rest } = spec;
  return { ...rest, rootDir, ...(configFile ? { configFile } : {}), models: new ModelTable(table), modelOverrides: models };
}

/**
 * A built-in model with the fields evalconfig.yaml gives: those replace the table's, count as confirmed
 * (the user vouches for them) unless `unconfirmed` is given too, and name evalconfig.yaml as their source.
 */
function overrideModel(builtIn: ModelSpec | undefined, override: Record<string, unknown>): Record<string, unknown> {
  if (!builtIn) return override;
  const given = Object.keys(override);
  return {
    ...builtIn,
    ...override,
    ...(override.unconfirmed === undefined ? { unconfirmed: builtIn.unconfirmed.filter((field) => !given.includes(field)) } : {}),
    fieldSources: { ...builtIn.fieldSources, ...Object.fromEntries(given.map((field) => [field, 'evalconfig.yaml'])) },
  };
}
