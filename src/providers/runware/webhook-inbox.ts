import type { ProviderFailure, ProviderResult } from '../provider.js';
import { classifyFailure } from './classify-failure.js';
import { readResultItem } from './read-result-item.js';
import { asObject, collectErrors, describeError } from './runware-error.js';

/** What the webhook has brought for one task so far. */
export interface WebhookState {
  results: ProviderResult[];
  erroredResults: ProviderFailure[];
  /**
   * A result came twice. Either Runware retried a delivery, or two results of the task are identical
   * (short answers often are): the webhook cannot tell which, getResponse can.
   */
  isAmbiguous: boolean;
}

interface Expected {
  state: WebhookState;
  /** Result keys seen: a retried POST of the same result is counted once. */
  seen: Set<string>;
  listeners: Set<() => void>;
}

/** What became of one POSTed item. */
export type Arrival = 'accepted' | 'duplicate' | 'unknown-task' | 'unreadable';

/**
 * Where results POSTed to the run's webhook wait for the attempts that expect them, by taskUUID.
 * An item is kept once per task and content: Runware retries a delivery that was not answered 2xx
 * with the same body, and a text result carries no id to tell a retry from a second, identical
 * result. So a repeat marks the task ambiguous, and the attempt asks getResponse at once, whose
 * answer lists every result. Items for a task nobody expects (late, after polling took over) are
 * dropped.
 */
export class WebhookInbox {
  private readonly tasks = new Map<string, Expected>();

  /** @param redact removes secrets (the webhook token) from error messages that reach artefacts. */
  constructor(private readonly redact: (text: string) => string = (text) => text) {}

  /** Starts keeping results for `taskUUID`; call before sending the task (a result may beat the acknowledgement). */
  expect(taskUUID: string): void {
    this.tasks.set(taskUUID, { state: { results: [], erroredResults: [], isAmbiguous: false }, seen: new Set(), listeners: new Set() });
  }

  /** Stops keeping results for `taskUUID`. */
  forget(taskUUID: string): void {
    this.tasks.delete(taskUUID);
  }

  /** What has arrived for `taskUUID` (a copy). */
  state(taskUUID: string): WebhookState {
    const state = this.tasks.get(taskUUID)?.state;
    return { results: [...(state?.results ?? [])], erroredResults: [...(state?.erroredResults ?? [])], isAmbiguous: state?.isAmbiguous ?? false };
  }

  /** Resolves when `taskUUID` has `count` results in or errored, or a result came twice (ask getResponse), or at once if so. */
  whenSettled(taskUUID: string, count: number, signal: AbortSignal): Promise<void> {
    const task = this.tasks.get(taskUUID);
    if (!task) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (signal.aborted || task.state.isAmbiguous || task.state.results.length + task.state.erroredResults.length >= count) {
          task.listeners.delete(check);
          signal.removeEventListener('abort', check);
          resolve();
        }
      };
      task.listeners.add(check);
      signal.addEventListener('abort', check, { once: true });
      check();
    });
  }

  /**
   * Files one POSTed body: a flat result (`{taskUUID, text, …}`, with or without `status`), an errored
   * result (`status: "error"` with `error`), or the same wrapped in `data` / `errors`.
   */
  receive(body: string): Arrival[] {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return ['unreadable'];
    }
    const root = asObject(parsed);
    if (!root) return ['unreadable'];
    const items = Array.isArray(root.data) ? root.data.map(asObject) : [root];
    const arrivals = items.map((item) => (item ? this.file(item) : 'unreadable'));
    for (const error of Array.isArray(root.errors) ? root.errors.map(asObject) : []) {
      if (error && typeof error.taskUUID === 'string') arrivals.push(this.file({ taskUUID: error.taskUUID, status: 'error', error }));
    }
    return arrivals;
  }

  private file(item: Record<string, unknown>): Arrival {
    const taskUUID = typeof item.taskUUID === 'string' ? item.taskUUID : undefined;
    const task = taskUUID !== undefined ? this.tasks.get(taskUUID) : undefined;
    if (!task) return taskUUID === undefined ? 'unreadable' : 'unknown-task';
    const key = JSON.stringify(item);
    if (task.seen.has(key)) {
      task.state.isAmbiguous = true;
      for (const listener of [...task.listeners]) listener();
      return 'duplicate';
    }
    if (item.status === 'processing') return 'accepted';
    if (item.status === 'error' || item.status === 'failed') {
      const error = collectErrors(item)[0];
      task.state.erroredResults.push(
        classifyFailure({ status: 200, ...(error?.code !== undefined ? { providerCode: error.code } : {}), message: this.redact(describeError(error) ?? 'the API reported an error for this result').slice(0, 500) }),
      );
    } else {
      const result = readResultItem(item);
      if (!result) return 'unreadable';
      task.state.results.push(result);
    }
    task.seen.add(key);
    for (const listener of [...task.listeners]) listener();
    return 'accepted';
  }
}
