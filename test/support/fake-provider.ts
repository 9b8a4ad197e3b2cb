import type { InferenceRequest } from '../../src/plan/trial.js';
import type { AttemptOutcome, Provider, ProviderFailure, SendOptions } from '../../src/providers/provider.js';

/** What the fake answers for one call: an outcome, or a function of the request and call number. */
export type Script = (request: InferenceRequest, call: number, options: SendOptions) => AttemptOutcome | Promise<AttemptOutcome>;

/** A scripted provider for runner and report tests: answers what the test says, records what it was asked. */
export class FakeProvider implements Provider {
  readonly name: string;
  readonly requests: InferenceRequest[] = [];
  closed = false;

  constructor(private readonly script: Script, name = 'fake') {
    this.name = name;
  }

  async send(request: InferenceRequest, options: SendOptions): Promise<AttemptOutcome> {
    this.requests.push(request);
    return this.script(request, this.requests.length - 1, options);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** An outcome with these texts as results (finishReason stop, small usage, a cost each). */
export function answered(texts: readonly string[], overrides: Partial<AttemptOutcome['results'][number]> = {}, latencyMs = 100): AttemptOutcome {
  return {
    latencyMs,
    results: texts.map((text) => ({
      text,
      finishReason: 'stop',
      usage: { promptTokens: 10, completionTokens: 5, thinkingTokens: 20, totalTokens: 35 },
      costUsd: 0.001,
      ...overrides,
    })),
  };
}

/** An outcome with no results and this failure. */
export function failed(code: ProviderFailure['code'], options: Partial<ProviderFailure> = {}, latencyMs = 50): AttemptOutcome {
  return { latencyMs, results: [], failure: { code, message: `${code} from the fake`, isRetryable: false, ...options } };
}
