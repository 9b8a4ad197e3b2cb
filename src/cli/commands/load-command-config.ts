import { ConfigError } from '../../config/config-error.js';
import { loadConfig, type ResolvedConfig } from '../../config/load-config.js';
import type { CliIo } from '../cli-io.js';

/**
 * The configuration a command that needs no suites reads (`report`, `merge`, `compare`, `advise`,
 * `baseline`, `simulate`, `models`): `--config` when given, else evalconfig.yaml in the working folder, else the
 * defaults; every problem at once as a ConfigError. Commands that plan
 * (`run`, `validate`, `estimate`) read it through loadProject with the same `--config`.
 */
export async function loadCommandConfig(args: { config?: string | undefined }, io: CliIo): Promise<ResolvedConfig> {
  const { config, diagnostics } = await loadConfig({ cwd: io.cwd, ...(args.config !== undefined ? { configPath: args.config } : {}) });
  if (!config) throw new ConfigError(diagnostics);
  return config;
}
