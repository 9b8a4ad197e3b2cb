import type { InferenceRequest } from '../../plan/trial.js';
import type { AttemptOutcome, Provider, SendOptions } from '../provider.js';
import { cassetteKey, writeCassette, type Cassette } from './cassette.js';

/**
 * `--record <dir>`: passes every request to the real provider and stores what came back, one cassette
 * per distinct request, so that `--provider replay` can answer the same run again without the network.
 */
export class RecordingProvider implements Provider {
  readonly name: string;
  private readonly cassettes = new Map<string, Cassette>();

  /** @param simulated whether `inner` is the built-in simulator (or a replay of it), kept in every cassette. */
  constructor(
    private readonly inner: Provider,
    private readonly dir: string,
    private readonly simulated: boolean,
  ) {
    this.name = inner.name;
  }

  async send(request: InferenceRequest, options: SendOptions): Promise<AttemptOutcome> {
    const outcome = await this.inner.send(request, options);
    // An attempt the run itself abandoned says nothing about the API.
    if (outcome.failure?.code === 'INTERRUPTED') return outcome;
    const key = cassetteKey(request);
    const cassette = this.cassettes.get(key) ?? { request, simulated: this.simulated, outcomes: [] };
    cassette.outcomes.push(outcome);
    this.cassettes.set(key, cassette);
    writeCassette(this.dir, key, cassette);
    return outcome;
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
