import { formatCount, formatUsd } from '../core/format-figures.js';
import type { RunStarted, TrialFinished } from '../run/run-events.js';
import { fitToWidth, type Painter } from './terminal-text.js';

/** Where and how the progress display draws. */
export interface ProgressDisplayOptions {
  write: (text: string) => void;
  /** A terminal gets one status line redrawn in place; anything else a plain line now and then. */
  isTTY: boolean;
  paint: Painter;
  now: () => number;
  /** The terminal's width now (it can change while the run goes); unknown: the line is not cut. */
  columns?: () => number | undefined;
  /** Least time between two plain lines (not a terminal). @default 5000 */
  plainEveryMs?: number;
  /**
   * Calls `tick` every `ms` until the returned function is called; the terminal's line is redrawn so
   * that elapsed time and ETA move while no trial finishes. @default an unref'd `setInterval`
   */
  every?: (ms: number, tick: () => void) => () => void;
}

/** Least time between two redraws of the terminal's status line. */
const REDRAW_EVERY_MS = 100;
/** Redraw period while nothing happens. */
const TICK_EVERY_MS = 1000;

const unrefInterval = (ms: number, tick: () => void) => {
  const timer = setInterval(tick, ms);
  timer.unref();
  return () => clearInterval(timer);
};

/**
 * The live progress of a run: trials done of planned, samples passed, failed and errored, cost so far,
 * requests in flight, time elapsed and ETA. On a terminal one status line, cut to the terminal's width
 * (a wrapped line cannot be cleared in place) and redrawn at most every 100 ms and at least every
 * second; elsewhere (CI logs) a plain line at most every `plainEveryMs`.
 */
export class ProgressDisplay {
  private readonly counts = { trials: 0, sentThisTime: 0, passed: 0, failed: 0, errored: 0, costUsd: 0, inFlight: 0 };
  private planned: RunStarted | undefined;
  /** Trials not to be sent: their setting was decided (`--until-decided`). */
  private decided = 0;
  private readonly startedAt: number;
  private lastDrawn: number;
  private isLineShown = false;
  private stopTicking: (() => void) | undefined;

  constructor(private readonly options: ProgressDisplayOptions) {
    this.startedAt = options.now();
    this.lastDrawn = this.startedAt;
  }

  started(event: RunStarted): void {
    this.planned = event;
    this.counts.trials = event.recordedTrials;
    if (this.options.isTTY) this.stopTicking = (this.options.every ?? unrefInterval)(TICK_EVERY_MS, () => this.draw());
  }

  trialFinished(event: TrialFinished): void {
    const c = this.counts;
    c.trials++;
    c.sentThisTime++;
    c.inFlight = event.inFlight;
    for (const r of event.records) {
      if (r.status === 'errored') c.errored++;
      else if (r.pass) c.passed++;
      else c.failed++;
      c.costUsd += r.costUsd ?? 0;
    }
    if (this.options.now() - this.lastDrawn >= (this.options.isTTY ? REDRAW_EVERY_MS : (this.options.plainEveryMs ?? 5000))) this.draw();
  }

  /** A trial its decided setting will not send: the plan is one trial shorter. */
  trialDecided(): void {
    this.decided++;
  }

  /** Trials the run will send in all: the plan, less those of settings already decided. */
  private get plannedTrials(): number | undefined {
    return this.planned ? this.planned.plannedTrials - this.decided : undefined;
  }

  /** Stops the redraws and clears the status line, before the report is printed. */
  stop(): void {
    this.stopTicking?.();
    this.stopTicking = undefined;
    if (this.isLineShown) this.options.write('\r\u001b[2K');
    this.isLineShown = false;
  }

  /** The status line as it reads now. */
  statusLine(): string {
    const c = this.counts;
    return (
      `${formatCount(c.trials)}/${formatCount(this.plannedTrials)} trials · ${formatCount(c.passed)} passed · ` +
      `${formatCount(c.failed)} failed · ${formatCount(c.errored)} errored · ${formatUsd(c.costUsd)} · ${c.inFlight} in flight · ` +
      `${formatSeconds(this.options.now() - this.startedAt)} elapsed${this.eta()}`
    );
  }

  private draw(): void {
    const { options } = this;
    this.lastDrawn = options.now();
    if (!options.isTTY) {
      options.write(`… ${this.statusLine()}\n`);
      return;
    }
    // One column short of the width: a line that fills the last column leaves some terminals waiting to wrap.
    const columns = options.columns?.();
    const line = options.paint('dim', this.statusLine());
    options.write(`\r\u001b[2K${columns ? fitToWidth(line, columns - 1) : line}`);
    this.isLineShown = true;
  }

  /** Time left at the pace so far (trials done by this invocation), or nothing before a pace is known. */
  private eta(): string {
    const left = (this.plannedTrials ?? 0) - this.counts.trials;
    const elapsed = this.options.now() - this.startedAt;
    if (this.counts.sentThisTime < 2 || left <= 0 || elapsed <= 0) return '';
    return ` · ETA ${formatSeconds((left * elapsed) / this.counts.sentThisTime)}`;
  }
}

function formatSeconds(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds >= 90 ? `${Math.round(seconds / 60)} min` : `${seconds} s`;
}
