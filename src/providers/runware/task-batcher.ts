import type { SendOptions } from '../provider.js';
import type { HttpExchange, RunwareHttp } from './runware-http.js';
import type { RunwareTextTask } from './runware-task.js';

interface Waiting {
  task: RunwareTextTask;
  options: SendOptions;
  resolve: (exchange: HttpExchange) => void;
}

/**
 * Puts up to `batchSize` tasks in one HTTP request (Runware's body is an array of tasks). Tasks sent
 * in the same turn of the event loop go together, up to the size, one batch per delivery method; each
 * sender gets the whole answer and reads its own results by taskUUID, with the errors that name it
 * (or none). With `batchSize` 1, every task is its own request. A batch is abandoned when any of its
 * senders' signals aborts (a run's senders share one), and waits as long as the longest timeout.
 */
export class TaskBatcher {
  private readonly waiting = new Map<string, Waiting[]>();
  private isFlushScheduled = false;

  constructor(
    private readonly http: Pick<RunwareHttp, 'postJson'>,
    readonly batchSize: number,
  ) {}

  /** Sends `task`, alone or with others; resolves with the answer to the request that carried it. */
  submit(task: RunwareTextTask, options: SendOptions): Promise<HttpExchange> {
    if (this.batchSize <= 1) return this.http.postJson([task], options);
    return new Promise((resolve) => {
      const queue = this.waiting.get(task.deliveryMethod) ?? [];
      queue.push({ task, options, resolve });
      this.waiting.set(task.deliveryMethod, queue);
      if (queue.length >= this.batchSize) this.send(queue.splice(0, this.batchSize));
      else this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.isFlushScheduled) return;
    this.isFlushScheduled = true;
    setImmediate(() => {
      this.isFlushScheduled = false;
      for (const queue of this.waiting.values()) {
        while (queue.length > 0) this.send(queue.splice(0, this.batchSize));
      }
    });
  }

  private send(batch: Waiting[]): void {
    // A run's senders share one signal: listen to each distinct one once.
    const signals = [...new Set(batch.map((w) => w.options.signal))];
    const options: SendOptions = {
      signal: signals.length === 1 ? signals[0]! : AbortSignal.any(signals),
      timeoutMs: Math.max(...batch.map((w) => w.options.timeoutMs)),
    };
    void this.http.postJson(
      batch.map((w) => w.task),
      options,
    ).then((exchange) => {
      for (const w of batch) w.resolve(exchange);
    });
  }
}
