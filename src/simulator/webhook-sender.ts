import type { Faults } from '../config/simulator-faults.js';
import { asyncItem, type AsyncJob } from './async-jobs.js';
import { uniforms } from './simulate-task.js';

/** What the simulator's webhook deliveries did. */
export interface WebhookSenderStats {
  /** POSTs made, retries included. */
  posts: number;
  /** Results delivered (answered 2xx). */
  delivered: number;
  /** POSTs tried again after a non-2xx answer or a network error. */
  retries: number;
  /** Results given up on after the last retry. */
  abandoned: number;
  /** Results never sent (`webhookLost`). */
  lost: number;
  /** Results sent twice (`webhookDuplicate`). */
  duplicated: number;
}

/** How the simulator's webhook deliveries draw their faults and back off. */
export interface WebhookSenderOptions {
  seed: number;
  faults: Faults;
  /** First retry delay; doubled each time. @default 250 */
  retryBaseMs?: number;
  /** The last retry delay; after it, the result is given up on. @default 8000 */
  retryMaxMs?: number;
}

/**
 * Delivers async results the way Runware documents: when each result is ready, one POST of the flat
 * item (no `data` wrapper) to the task's webhookURL; a non-2xx answer (or no answer) is retried after
 * 250 ms, 500 ms, … up to 8 s, then given up on. `webhookLost` and `webhookDuplicate` drop or
 * repeat a share of deliveries, drawn per result from the task's content.
 */
export class WebhookSender {
  readonly stats: WebhookSenderStats = { posts: 0, delivered: 0, retries: 0, abandoned: 0, lost: 0, duplicated: 0 };
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new AbortController();
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;

  constructor(private readonly options: WebhookSenderOptions) {
    this.retryBaseMs = options.retryBaseMs ?? 250;
    this.retryMaxMs = options.retryMaxMs ?? 8000;
  }

  /** Schedules a POST for each result of `job` that will finish (a stuck one never does). */
  schedule(job: AsyncJob, nowMs: number): void {
    const url = job.answer.webhookURL;
    if (url === undefined) return;
    job.fates.forEach((fate, i) => {
      if (fate === 'stuck') return;
      const [uLost = 1, uDuplicate = 1] = uniforms(this.options.seed, job.answer.contentKey, job.answer.occurrence, `webhook-${i}`);
      if (uLost < this.options.faults.webhookLost) {
        this.stats.lost++;
        return;
      }
      const readyAt = job.readyAtMs[i]!;
      const body = JSON.stringify(asyncItem(job, i, readyAt));
      const copies = uDuplicate < this.options.faults.webhookDuplicate ? 2 : 1;
      if (copies === 2) this.stats.duplicated++;
      for (let copy = 0; copy < copies; copy++) this.later(Math.max(0, readyAt - nowMs) + copy, () => this.post(url, body, 0));
    });
  }

  /** Cancels what is scheduled and in flight. */
  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.inFlight.abort();
  }

  private later(ms: number, run: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void run();
    }, ms);
    this.timers.add(timer);
  }

  private async post(url: string, body: string, retry: number): Promise<void> {
    this.stats.posts++;
    let ok = false;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'evalgate-simulator' },
        body,
        signal: AbortSignal.any([this.inFlight.signal, AbortSignal.timeout(10_000)]),
      });
      await response.arrayBuffer().catch(() => undefined);
      ok = response.status >= 200 && response.status < 300;
    } catch {
      ok = false;
    }
    if (ok) {
      this.stats.delivered++;
      return;
    }
    if (this.inFlight.signal.aborted) return;
    const delayMs = this.retryBaseMs * 2 ** retry;
    if (delayMs > this.retryMaxMs) {
      this.stats.abandoned++;
      return;
    }
    this.stats.retries++;
    this.later(delayMs, () => this.post(url, body, retry + 1));
  }
}
