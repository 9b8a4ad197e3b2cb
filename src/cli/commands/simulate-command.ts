import path from 'node:path';
import { EvalgateError, ExitCode } from '../../core/evalgate-error.js';
import { loadScenarios } from '../../simulator/scenario.js';
import { startSimulator } from '../../simulator/simulator-server.js';
import type { CliIo } from '../cli-io.js';
import { loadCommandConfig } from './load-command-config.js';
import type { SimulateArgs } from '../cli-options.js';

/** `evalgate simulate`: serve the Runware wire format on a local port until interrupted. */
export async function simulateCommand(args: SimulateArgs, io: CliIo): Promise<number> {
  const config = await loadCommandConfig(args, io);
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) {
    throw new EvalgateError('USAGE', `--port must be a port number from 0 to 65535, got ${String(args.port)}`);
  }
  // A folder named on the command line holds its own files; the config's stays inside the project.
  const folder = args.scenarios ? path.resolve(io.cwd, args.scenarios) : path.resolve(config.rootDir, config.simulator.scenarios);
  const scenarios = await loadScenarios(folder, io.cwd, args.scenarios ? folder : config.rootDir);
  if (args.seed !== undefined && !Number.isSafeInteger(args.seed)) throw new EvalgateError('USAGE', `--seed must be a whole number, got ${String(args.seed)}`);
  const seed = args.seed ?? config.simulator.seed;
  let simulator;
  try {
    simulator = await startSimulator({
      port: args.port,
      host: args.host,
      seed,
      scenarios,
      models: config.models,
      latencyScale: args.latencyScale ?? config.simulator.latencyScale,
      ...(args.fixedLatencyMs !== undefined ? { fixedLatencyMs: args.fixedLatencyMs } : {}),
      faults: config.simulator.faults,
    });
  } catch (error) {
    throw new EvalgateError('USAGE', `cannot listen on ${args.host}:${args.port}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      hint: 'pick another --port, or --port 0 for any free one',
    });
  }
  io.stdout.write(
    `Runware simulator (simulated answers, not a real model) listening on ${simulator.url}\n` +
      `seed ${seed} · ${scenarios.length} scenario${scenarios.length === 1 ? '' : 's'} from ${path.relative(io.cwd, folder) || '.'}\n` +
      `Try: RUNWARE_API_URL=${simulator.url} RUNWARE_API_KEY=any evalgate run\n`,
  );
  await new Promise<void>((resolve) => {
    const unsubscribe = io.onInterrupt(() => {
      unsubscribe();
      resolve();
    });
  });
  await simulator.close();
  io.stdout.write(`Simulator stopped after ${simulator.stats.requests} requests.\n`);
  return ExitCode.ok;
}
