import type { JudgeGrader } from '../config/loaded-suite.js';
import type { FinishReason } from '../core/runware-limits.js';
import type { InferenceRequest } from '../plan/trial.js';
import type { Usage } from '../core/sample-record.js';

/** One verdict to ask for: the request, the grader (for its price), and which of the k verdicts it is. */
export interface JudgeCall {
  request: InferenceRequest;
  grader: JudgeGrader;
  /** 0-based index among the assertion's `samples` verdicts; part of the cache key. */
  verdictIndex: number;
}

/** The judge's answer to one call. */
export interface JudgeReply {
  text: string;
  finishReason: FinishReason | null;
  usage: Usage | null;
  /** What the call cost, USD; 0 when it came from the cache; null when unknown. */
  costUsd: number | null;
  cached: boolean;
}

/**
 * Where judge requests go: the run's provider, retries, concurrency and budget, behind the verdict
 * cache. Rejects with a CheckError (JUDGE_ERROR) when no answer came back.
 */
export interface JudgeGateway {
  ask(call: JudgeCall): Promise<JudgeReply>;
}
