import type { CaseDetails } from '../results/collect-case-details.js';
import type { RunSummary } from '../results/run-summary.js';
import type { SampleRecord } from '../core/sample-record.js';

/** Sent once, before the first request. */
export interface RunStarted {
  runId: string;
  runDir: string;
  provider: string;
  simulated: boolean;
  plannedTrials: number;
  plannedSamples: number;
  /** Trials already recorded by an earlier, interrupted invocation (`--resume`); not sent again. */
  recordedTrials: number;
  concurrency: number;
  suites: { name: string; file: string; threshold: number }[];
}

/** Sent as each trial lands, with its samples. */
export interface TrialFinished {
  records: readonly SampleRecord[];
  /** Requests still in flight after this one. */
  inFlight: number;
}

/** Sent once, after the summary and the gate's verdict exist. */
export interface RunFinished {
  summary: RunSummary;
  runDir: string;
  /** Samples and messages per case and setting, bounded; read from results.jsonl once, on first call. */
  details: () => Promise<CaseDetails>;
}

/**
 * A report. Every hook is optional; reporters read events and results only, and never change the
 * run. A reporter that writes a file writes it inside `runDir`.
 */
export interface Reporter {
  onRunStarted?(event: RunStarted): void;
  onTrialFinished?(event: TrialFinished): void;
  /** A trial will not be sent: its setting was decided (`--until-decided`). */
  onTrialDecided?(): void;
  onRunFinished?(event: RunFinished): void | Promise<void>;
  /** The run stopped on an error after it started (a full disk, a bug): release timers, draw nothing more. */
  onRunFailed?(): void;
}
