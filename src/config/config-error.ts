import { EvalgateError } from '../core/evalgate-error.js';
import type { Diagnostic } from './diagnostic.js';

/** Everything wrong with the configuration and suites, found in one pass and thrown once. */
export class ConfigError extends EvalgateError {
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: readonly Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    super('CONFIG_INVALID', `${errors} problem${errors === 1 ? '' : 's'} in the configuration; nothing was sent.`);
    this.name = 'ConfigError';
    this.diagnostics = diagnostics;
  }
}
