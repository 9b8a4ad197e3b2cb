import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Jiti } from 'jiti';
import type { Diagnostic } from './diagnostic.js';
import type { DiagnosticSource } from './diagnostic-source.js';
import { displayPath, howFileLeaves } from './display-path.js';
import type { ScriptCheck } from './script-check.js';
import type { YamlPath } from './yaml-source.js';

const EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];

/**
 * Imports the modules `script` assertions name, once per load however many cases use them: TypeScript
 * through jiti (no build step for the user), JavaScript too. A module that is missing, does not import,
 * or has no such function is a load error at the suite's line, before anything is sent.
 */
export class ScriptSource {
  private readonly modules = new Map<string, Promise<{ ok: true; exports: Record<string, unknown> } | { ok: false; message: string }>>();
  /** jiti, loaded (about 35 ms) only when a suite names a TypeScript or CommonJS script. */
  private jiti: Jiti | undefined;

  constructor(
    private readonly rootDir: string,
    private readonly cwd: string,
  ) {}

  async load(ref: string, exportName: string | undefined, suite: DiagnosticSource, suiteDir: string, at: YamlPath, diagnostics: Diagnostic[]): Promise<{ fn: ScriptCheck; label: string } | undefined> {
    const file = path.resolve(suiteDir, ref);
    const shown = displayPath(file, this.cwd);
    const moduleAt: YamlPath = [...at, 'module'];
    const how = await howFileLeaves(this.rootDir, file);
    if (how !== undefined) {
      diagnostics.push(suite.diagnostic(moduleAt, 'PATH_OUTSIDE_PROJECT', `script module "${ref}" leaves the project folder${how}`, { hint: `keep scripts under ${displayPath(this.rootDir, this.cwd) || '.'}, as files, not links to elsewhere` }));
      return undefined;
    }
    if (!EXTENSIONS.includes(path.extname(file))) {
      diagnostics.push(suite.diagnostic(moduleAt, 'BAD_SCRIPT', `script module "${ref}" is not a .ts, .mts, .js or .mjs file`));
      return undefined;
    }
    if (!existsSync(file) || !statSync(file).isFile()) {
      diagnostics.push(suite.diagnostic(moduleAt, 'FILE_NOT_FOUND', `script module "${ref}" not found (looked for ${shown})`, { hint: 'paths are relative to the suite file' }));
      return undefined;
    }
    let imported = this.modules.get(file);
    if (!imported) this.modules.set(file, (imported = this.import(file)));
    const result = await imported;
    if (!result.ok) {
      diagnostics.push(suite.diagnostic(moduleAt, 'BAD_SCRIPT', `script module "${ref}" does not load: ${result.message}`));
      return undefined;
    }
    const name = exportName ?? 'default';
    const fn = result.exports[name];
    const label = `${shown}${exportName ? `#${exportName}` : ''}`;
    if (typeof fn !== 'function') {
      const functions = Object.keys(result.exports).filter((k) => typeof result.exports[k] === 'function');
      const what = fn === undefined ? `has no ${exportName ? `export "${exportName}"` : 'default export'}` : `exports "${name}" as a ${typeof fn}, not a function`;
      diagnostics.push(
        suite.diagnostic(exportName ? [...at, 'export'] : moduleAt, 'BAD_SCRIPT', `script module "${ref}" ${what}`, {
          hint: functions.length > 0 ? `its functions: ${functions.map((f) => (f === 'default' ? 'the default export' : f)).join(', ')}` : 'export a function (output, context) => boolean | {pass, score?, reason?}',
        }),
      );
      return undefined;
    }
    return { fn: fn as ScriptCheck, label };
  }

  private async import(file: string): Promise<{ ok: true; exports: Record<string, unknown> } | { ok: false; message: string }> {
    try {
      const isPlainJs = file.endsWith('.mjs') || file.endsWith('.js');
      // Plain ES modules need no transform: Node imports them; TypeScript (and CommonJS) goes through jiti.
      const exports = (isPlainJs ? await import(pathToFileURL(file).href) : await (await this.loadJiti()).import(file)) as Record<string, unknown>;
      return { ok: true, exports: exports ?? {} };
    } catch (error) {
      return { ok: false, message: ((error as Error).message ?? String(error)).split('\n')[0]!.slice(0, 300) };
    }
  }

  private async loadJiti(): Promise<Jiti> {
    this.jiti ??= (await import('jiti')).createJiti(import.meta.url, { moduleCache: false, fsCache: false, interopDefault: false });
    return this.jiti;
  }
}
