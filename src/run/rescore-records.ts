import PQueue from 'p-queue';
import type { CompiledChecks } from '../assertions/assertion-registry.js';
import { makeSampleView } from '../assertions/assertion.js';
import { evaluateAssertions } from '../assertions/evaluate-assertions.js';
import type { Trial } from '../plan/trial.js';
import { readJournal } from '../results/read-journal.js';
import type { SampleRecord } from '../core/sample-record.js';
import { applyDeferredChecks } from './apply-deferred-checks.js';
import type { ResultsJournal } from './results-journal.js';

/** Errors a check gave, not the API: a rescore checks their answers again. */
const CHECK_ERRORS: ReadonlySet<string> = new Set(['SCRIPT_ERROR', 'JUDGE_ERROR']);

export interface RescoreCounts {
  /** Samples whose answer was checked again. */
  rescored: number;
  /** Errored samples with no answer, copied as they were. */
  keptErrored: number;
  /** Samples of trials no longer in the plan (a case removed or renamed), left out. */
  dropped: number;
}

/**
 * Reads a run's results.jsonl and writes each sample again with the current checks of its case: the
 * stored answer (text, tool calls, usage, cost, timings) kept, the verdict, outcomes and judging made
 * anew (judges through the cache). Sends no candidate request. Samples are checked `concurrency` at a time.
 */
export async function rescoreRecords(
  journalPath: string,
  trialsById: ReadonlyMap<string, Trial>,
  checksFor: (trial: Trial) => CompiledChecks,
  journal: ResultsJournal,
  concurrency: number,
): Promise<RescoreCounts> {
  const counts: RescoreCounts = { rescored: 0, keptErrored: 0, dropped: 0 };
  const queue = new PQueue({ concurrency });
  for await (const stored of readJournal(journalPath)) {
    const trial = trialsById.get(stored.trialId);
    if (!trial) {
      counts.dropped++;
      continue;
    }
    const hasAnswer = stored.text !== null && (stored.status === 'completed' || CHECK_ERRORS.has(stored.error?.code ?? ''));
    if (!hasAnswer) {
      counts.keptErrored++;
      journal.append([stored]);
      continue;
    }
    counts.rescored++;
    await queue.onSizeLessThan(concurrency * 2);
    void queue.add(async () => {
      const record = await rescoreRecord(stored, checksFor(trial));
      journal.append([record]);
    });
  }
  await queue.onIdle();
  return counts;
}

/** One sample checked again by `checks`: its answer kept, its verdict made anew. */
export async function rescoreRecord(stored: SampleRecord, checks: CompiledChecks): Promise<SampleRecord> {
  const { judge: _old, ...rest } = stored;
  const record: SampleRecord = { ...rest, status: 'completed', error: null };
  const view = makeSampleView({
    text: record.text!,
    toolCalls: record.toolCalls ?? [],
    finishReason: record.finishReason,
    usage: record.usage,
    costUsd: record.costUsd,
    latencyMs: record.latencyMs ?? 0,
  });
  const verdict = await evaluateAssertions(checks.sync, view);
  record.pass = verdict.pass;
  record.assertions = verdict.outcomes;
  await applyDeferredChecks([record], checks.deferred);
  return record;
}
