import type { InferenceRequest, Trial } from '../../plan/trial.js';
import type { AttemptOutcome, Provider } from '../provider.js';
import { cassetteKey, readCassettes, type Cassette } from './cassette.js';

/**
 * `--provider replay`: answers from cassettes recorded with `--record`, strictly. The same request
 * asked again gets the next recorded outcome (repeats, retries), with its recorded latency, at once.
 */
export class ReplayProvider implements Provider {
  readonly name = 'replay';
  private readonly played = new Map<string, number>();

  constructor(private readonly cassettes: ReadonlyMap<string, Cassette>) {}

  /** Whether any cassette was recorded from the built-in simulator: a replay of it is simulated too. */
  get isSimulatedRecording(): boolean {
    for (const cassette of this.cassettes.values()) if (cassette.simulated === true) return true;
    return false;
  }

  /** The cassettes of `dir`, each held inside `root` (the project, or the folder named on the command line). */
  static async fromFolder(dir: string, cwd: string, root: string = dir): Promise<ReplayProvider> {
    return new ReplayProvider(await readCassettes(dir, cwd, root));
  }

  /** Trials whose first request has no recording: the run cannot be replayed as planned. */
  missing(trials: readonly Trial[]): Trial[] {
    const needed = new Map<string, number>();
    return trials.filter((trial) => {
      const key = cassetteKey(trial.request);
      const count = (needed.get(key) ?? 0) + 1;
      needed.set(key, count);
      return (this.cassettes.get(key)?.outcomes.length ?? 0) < count;
    });
  }

  async send(request: InferenceRequest): Promise<AttemptOutcome> {
    const key = cassetteKey(request);
    const index = this.played.get(key) ?? 0;
    this.played.set(key, index + 1);
    const outcome = this.cassettes.get(key)?.outcomes[index];
    if (outcome) return outcome;
    return {
      results: [],
      latencyMs: 0,
      failure: { code: 'MISSING_RESULT', message: `no recording for this request (occurrence ${index + 1}); record the run again with --record`, isRetryable: false },
    };
  }

  async close(): Promise<void> {}
}
