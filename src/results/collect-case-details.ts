import { readJournal } from './read-journal.js';
import { sampleOrdinal, type AssertionOutcome, type SampleError, type SampleRecord, type Usage } from './sample-record.js';

/** Samples kept per case and setting for drill-downs; the rest stay in results.jsonl. */
export const MAX_SAMPLES_PER_CASE = 8;
/** Characters of a sample's text kept for drill-downs. */
export const MAX_TEXT_CHARS = 4000;
const MAX_MESSAGES = 5;

/** A sample as a report shows it: its text cut to MAX_TEXT_CHARS. */
export interface SampleExcerpt {
  repeat: number;
  sampleIndex: number;
  status: SampleRecord['status'];
  pass: boolean | null;
  text: string | null;
  /** Characters cut from the end of the text. */
  truncatedChars: number;
  finishReason: SampleRecord['finishReason'];
  usage: Usage | null;
  costUsd: number | null;
  latencyMs: number | null;
  assertions: AssertionOutcome[];
  error: SampleError | null;
}

/** What reports show of one case at one setting beyond its counts. */
export interface CaseDetail {
  /** Distinct messages of failed assertions, first few. */
  failures: AssertionOutcome[];
  /** Distinct errors of errored samples, first few. */
  errors: SampleError[];
  /** The first MAX_SAMPLES_PER_CASE samples, in (repeat, index) order. */
  samples: SampleExcerpt[];
  /** Sum of the completed samples' latencies. */
  totalLatencyMs: number;
}

/** The key of a case at a setting, as reports look it up. */
export function caseKey(c: { suite: string; case: string; model: string; thinkingLevel: string; numberResults: number }): string {
  return `${c.suite}\u0000${c.case}\u0000${c.model}\u0000${c.thinkingLevel}\u0000${c.numberResults}`;
}

/**
 * Reads results.jsonl once, streaming, and keeps for each case and setting a bounded set of samples
 * and messages: what the JUnit, Markdown and HTML reports need, in memory that does not grow with
 * the size of the outputs.
 */
export async function collectCaseDetails(journalPath: string): Promise<Map<string, CaseDetail>> {
  const details = new Map<string, CaseDetail>();
  for await (const record of readJournal(journalPath)) {
    const key = caseKey(record);
    let detail = details.get(key);
    if (!detail) {
      detail = { failures: [], errors: [], samples: [], totalLatencyMs: 0 };
      details.set(key, detail);
    }
    addRecord(detail, record);
  }
  for (const detail of details.values()) detail.samples.sort((a, b) => sampleOrdinal(a) - sampleOrdinal(b));
  return details;
}

function addRecord(detail: CaseDetail, record: SampleRecord): void {
  if (record.status === 'completed' && record.latencyMs !== null) detail.totalLatencyMs += record.latencyMs;
  const failure = record.status === 'completed' && !record.pass ? record.assertions.find((a) => !a.pass) : undefined;
  if (failure && detail.failures.length < MAX_MESSAGES && !detail.failures.some((f) => f.message === failure.message)) detail.failures.push(failure);
  const error = record.error;
  if (error && detail.errors.length < MAX_MESSAGES && !detail.errors.some((e) => e.code === error.code && e.message === error.message)) detail.errors.push(error);
  const excerpt = toExcerpt(record);
  if (detail.samples.length < MAX_SAMPLES_PER_CASE) {
    detail.samples.push(excerpt);
    return;
  }
  // Keep the earliest samples whatever order they landed in.
  const latest = detail.samples.reduce((worst, s, i, all) => (sampleOrdinal(s) > sampleOrdinal(all[worst]!) ? i : worst), 0);
  if (sampleOrdinal(excerpt) < sampleOrdinal(detail.samples[latest]!)) detail.samples[latest] = excerpt;
}

function toExcerpt(record: SampleRecord): SampleExcerpt {
  const text = record.text;
  const isLong = text !== null && text.length > MAX_TEXT_CHARS;
  return {
    repeat: record.repeat,
    sampleIndex: record.sampleIndex,
    status: record.status,
    pass: record.pass,
    text: isLong ? text.slice(0, MAX_TEXT_CHARS) : text,
    truncatedChars: isLong ? text.length - MAX_TEXT_CHARS : 0,
    finishReason: record.finishReason,
    usage: record.usage,
    costUsd: record.costUsd,
    latencyMs: record.latencyMs,
    assertions: record.assertions,
    error: record.error,
  };
}
