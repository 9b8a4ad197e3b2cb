import path from 'node:path';
import type { ProviderName } from '../config/config-schema.js';
import type { ResolvedConfig } from '../config/load-config.js';
import type { Provider } from './provider.js';
import { RunwareProvider, type RunwareProviderOptions } from './runware/runware-provider.js';
import { resolveRunwareAccess, type RunwareEnv } from './runware-access.js';
import type { Scenario } from '../simulator/scenario.js';

/** A provider ready for a run, and how to shut it down. */
export interface ProviderSetup {
  provider: Provider;
  /** True for the built-in simulator, and for a replay of cassettes it answered. */
  simulated: boolean;
  /** The endpoint requests go to, without credentials (for the run's record). */
  apiUrl: string;
  /** The built-in simulator's scenarios (absent for other providers): which prompts get real-looking answers. */
  scenarios?: readonly Scenario[];
  close(): Promise<void>;
}

/**
 * Builds the provider a run asked for. `runware` needs `RUNWARE_API_KEY` (checked here, before any
 * request); `simulator` starts the built-in server on a free local port and points the same HTTP
 * client at it, so the offline path exercises the real one; `replay` answers from recorded cassettes.
 * The simulator's and replay's modules are imported only for those providers (start-up, docs/performance.md).
 */
export async function createProvider(
  name: ProviderName,
  config: ResolvedConfig,
  env: RunwareEnv,
  options: { cwd: string; concurrency: number; seed?: number; cassettes?: string; webhook?: RunwareProviderOptions['webhook'] },
): Promise<ProviderSetup> {
  const delivery = { polling: config.polling, batchSize: config.batchSize, maxResultBytes: config.maxResultBytes, ...(options.webhook ? { webhook: options.webhook } : {}) };
  if (name === 'replay') {
    const dir = options.cassettes !== undefined ? path.resolve(options.cwd, options.cassettes) : path.resolve(config.rootDir, config.cassettes);
    const { ReplayProvider } = await import('./replay/replay-provider.js');
    // A folder named on the command line holds its own files; the config's stays inside the project.
    const provider = await ReplayProvider.fromFolder(dir, options.cwd, options.cassettes !== undefined ? dir : config.rootDir);
    return { provider, simulated: provider.isSimulatedRecording, apiUrl: `replay of ${dir}`, close: () => provider.close() };
  }
  if (name === 'runware') {
    const access = resolveRunwareAccess(env, {
      message: 'RUNWARE_API_KEY is not set; nothing was sent.',
      hint: 'export RUNWARE_API_KEY=<your key> (https://my.runware.ai), or try it offline with --provider simulator',
    });
    const provider = new RunwareProvider({ apiUrl: access.apiUrl.href, apiKey: access.apiKey, connections: options.concurrency, ...delivery });
    return { provider, simulated: false, apiUrl: access.shownUrl, close: () => provider.close() };
  }

  const [{ loadScenarios }, { startSimulator }] = await Promise.all([import('../simulator/scenario.js'), import('../simulator/simulator-server.js')]);
  const scenarios = await loadScenarios(path.resolve(config.rootDir, config.simulator.scenarios), options.cwd, config.rootDir);
  const simulator = await startSimulator({
    seed: options.seed ?? config.simulator.seed,
    scenarios,
    models: config.models,
    latencyScale: config.simulator.latencyScale,
    faults: config.simulator.faults,
  });
  const provider = new RunwareProvider({ apiUrl: simulator.url, apiKey: 'simulator', connections: options.concurrency, name: 'simulator', ...delivery });
  return {
    provider,
    simulated: true,
    apiUrl: simulator.url,
    scenarios,
    close: async () => {
      await provider.close();
      await simulator.close();
    },
  };
}
