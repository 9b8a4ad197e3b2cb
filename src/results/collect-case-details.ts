import { caseKey, KEY_SEPARATOR, settingKey } from '../core/setting.js';
import { readJournalEntries, readJournalLine } from './read-journal.js';
import type { CaseSummary } from './group-summary.js';
import { sampleOrdinal, type AssertionOutcome, type SampleError, type SampleRecord, type TrialPrompt, type Usage } from '../core/sample-record.js';

/** Samples kept per case and setting for drill-downs in small runs; the rest stay in results.jsonl. */
export const MAX_SAMPLES_PER_CASE = 8;
/** Cases × settings up to which every one keeps MAX_SAMPLES_PER_CASE samples. */
export const SMALL_RUN_CASES = 2000;
/** Characters of a sample's text kept for drill-downs, at most. */
export const MAX_TEXT_CHARS = 4000;
/** ... and at least, however large the run. */
export const MIN_TEXT_CHARS = 300;
/** Bytes of samples kept in all (their JSON, roughly): what bounds report.html and the memory to build it. */
export const SAMPLE_BUDGET_BYTES = 10_000_000;
/** A sample's JSON without its text, roughly: counts, usage, assertions and their messages. */
const SAMPLE_OVERHEAD_BYTES = 450;
const MAX_MESSAGES = 5;

/** How much of each case and setting the reports keep. */
export interface DetailLimits {
  /** Samples kept of a case and setting (by its caseKey). */
  samplesFor(key: string): number;
  charsPerSample: number;
  /**
   * Keep the samples themselves rather than where they are in results.jsonl: a small run's are few
   * and small, and reading each again when a report asks costs more than holding it (20 µs a sample).
   */
  samplesInMemory?: boolean;
}

/**
 * Limits for a run's cases × settings. A small run ({@link SMALL_RUN_CASES} or fewer) keeps up to
 * {@link MAX_SAMPLES_PER_CASE} samples of each. A larger one keeps 2 of each case with a failed or
 * errored sample, and 1 of each that only passed while the budget allows (else none: its counts say
 * enough). Texts are cut so that all samples together stay near {@link SAMPLE_BUDGET_BYTES}, never
 * below {@link MIN_TEXT_CHARS}: past some 15,000 troubled cases × settings the budget is exceeded
 * rather than any of them shown without a sample.
 */
export function detailLimits(cases: readonly Pick<CaseSummary, 'suite' | 'case' | 'model' | 'thinkingLevel' | 'numberResults' | 'failed' | 'errored'>[]): DetailLimits {
  const troubled = new Set(cases.filter((c) => c.failed > 0 || c.errored > 0).map(caseKey));
  const fits = (samples: number) => samples * (SAMPLE_OVERHEAD_BYTES + MIN_TEXT_CHARS) <= SAMPLE_BUDGET_BYTES;
  let perTroubled = MAX_SAMPLES_PER_CASE;
  let perPassing = MAX_SAMPLES_PER_CASE;
  if (cases.length > SMALL_RUN_CASES) {
    perTroubled = fits(2 * troubled.size) ? 2 : 1;
    perPassing = fits(perTroubled * troubled.size + (cases.length - troubled.size)) ? 1 : 0;
  }
  const samples = perTroubled * troubled.size + perPassing * (cases.length - troubled.size);
  const chars = Math.floor(SAMPLE_BUDGET_BYTES / Math.max(1, samples)) - SAMPLE_OVERHEAD_BYTES;
  return {
    samplesFor: (key) => (troubled.has(key) ? perTroubled : perPassing),
    charsPerSample: Math.max(MIN_TEXT_CHARS, Math.min(MAX_TEXT_CHARS, chars)),
    samplesInMemory: cases.length <= SMALL_RUN_CASES,
  };
}

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
  /**
   * At most `samplesPerCase` samples: failed and errored ones first, then the earliest; in that order.
   * collectCaseDetails' details read them from results.jsonl each time they are asked for.
   */
  readonly samples: readonly SampleExcerpt[];
  /** Sum of the completed samples' latencies. */
  totalLatencyMs: number;
  /** What the case asked (its first trial's prompt), each text cut like a sample's; absent for runs that did not store it. */
  prompt?: TrialPrompt;
}

/** The details of a run's cases at their settings, by caseKey. A Map is one. */
export interface CaseDetails {
  get(key: string): CaseDetail | undefined;
}

/**
 * Reads results.jsonl once, streaming, and keeps for each case and setting what the JUnit, Markdown
 * and HTML reports need: distinct failure and error messages, total latency, and a bounded set of
 * samples (failed and errored first: they are what a reader opens a case for), texts cut to
 * `limits.charsPerSample`. Memory is bounded by the limits, not by the run's size or outputs: a kept
 * sample is where its line is in the file (and what orders it), read again and cut when a report asks
 * for the detail's samples, one detail at a time (at 100,000 samples, 7,700 kept samples held 4.8 MB).
 */
export async function collectCaseDetails(journalPath: string, limits: DetailLimits): Promise<CaseDetails> {
  const details = new DetailsBySetting();
  const prompts = new SharedPrompts();
  const samples = new KeptSamples(journalPath, limits.charsPerSample, limits.samplesInMemory === true);
  for await (const { record, position, bytes } of readJournalEntries(journalPath)) {
    let detail = details.find(record);
    if (!detail) {
      detail = new JournalCaseDetail(samples);
      details.add(record, detail);
    }
    if (record.prompt && !detail.prompt) detail.prompt = prompts.cut(record, record.prompt, limits.charsPerSample);
    addRecord(detail, record, { position, bytes }, limits.samplesFor(caseKey(record)));
  }
  for (const detail of details.all()) detail.kept.sort(byInterest);
  return details;
}

/**
 * Details by setting, then by case id: 25,000 details of a few settings hold one key string of their
 * own each (the case id read from the line), not a caseKey each (1.4 MB at 100,000 samples). `get`
 * takes a caseKey and splits it before its case id; a case id that holds the separator itself (no
 * valid suite has one) is kept by its whole caseKey apart, so every caseKey finds what it found in a Map.
 */
class DetailsBySetting implements CaseDetails {
  private readonly bySetting = new Map<string, Map<string, JournalCaseDetail>>();
  private readonly byKey = new Map<string, JournalCaseDetail>();

  find(record: SampleRecord): JournalCaseDetail | undefined {
    return record.case.includes(KEY_SEPARATOR) ? this.byKey.get(caseKey(record)) : this.bySetting.get(settingKey(record))?.get(record.case);
  }

  add(record: SampleRecord, detail: JournalCaseDetail): void {
    if (record.case.includes(KEY_SEPARATOR)) {
      this.byKey.set(caseKey(record), detail);
      return;
    }
    const key = settingKey(record);
    const cases = this.bySetting.get(key);
    if (cases) cases.set(record.case, detail);
    else this.bySetting.set(key, new Map([[record.case, detail]]));
  }

  get(key: string): CaseDetail | undefined {
    const kept = this.byKey.size > 0 ? this.byKey.get(key) : undefined;
    if (kept) return kept;
    // The case id is what follows the last separator: the ids kept here hold none.
    const cut = key.lastIndexOf(KEY_SEPARATOR);
    return cut === -1 ? undefined : this.bySetting.get(key.slice(0, cut))?.get(key.slice(cut + 1));
  }

  *all(): Iterable<JournalCaseDetail> {
    for (const cases of this.bySetting.values()) yield* cases.values();
    yield* this.byKey.values();
  }
}

/** A kept sample: where its line is in results.jsonl, and what orders it among the others kept; in a small run, the excerpt itself. */
interface SampleRef extends Interesting {
  position: number;
  bytes: number;
  excerpt?: SampleExcerpt;
}

/** Reads kept samples again from results.jsonl, as excerpts cut to `maxChars` (or hands back those held, `inMemory`). */
class KeptSamples {
  constructor(
    private readonly journalPath: string,
    readonly maxChars: number,
    readonly inMemory: boolean,
  ) {}

  read(refs: readonly SampleRef[]): SampleExcerpt[] {
    return refs.map((ref) => ref.excerpt ?? toExcerpt(readJournalLine(this.journalPath, ref.position, ref.bytes), this.maxChars));
  }
}

/** A detail as collectCaseDetails keeps it: its samples as references into results.jsonl. */
class JournalCaseDetail implements CaseDetail {
  // Every field set here, so the detail holds them in itself; its lists start as the one shared
  // empty list, replaced by a list of its own when first added to.
  failures: AssertionOutcome[] = NONE;
  errors: SampleError[] = NONE;
  totalLatencyMs = 0;
  prompt: TrialPrompt | undefined = undefined;
  kept: SampleRef[] = NONE;

  constructor(readonly keptSamples: KeptSamples) {}

  get samples(): readonly SampleExcerpt[] {
    return this.kept.length === 0 ? NONE : this.keptSamples.read(this.kept);
  }
}

/**
 * The empty list every detail starts with (most of a large run's 25,000 details keep no failure, error
 * or sample: 2.4 MB of empty lists otherwise). Frozen: a detail adding to a list first takes its own.
 */
const NONE: never[] = Object.freeze([]) as unknown as never[];

type Interesting = Pick<SampleExcerpt, 'status' | 'pass' | 'repeat' | 'sampleIndex'>;

/** Failed first, then errored, then passed; within each, the earliest. */
function byInterest(a: Interesting, b: Interesting): number {
  return interest(a) - interest(b) || sampleOrdinal(a) - sampleOrdinal(b);
}

function interest(sample: Interesting): number {
  return sample.status === 'errored' ? 1 : sample.pass ? 2 : 0;
}

function addRecord(detail: JournalCaseDetail, record: SampleRecord, where: { position: number; bytes: number }, maxSamples: number): void {
  if (record.status === 'completed' && record.latencyMs !== null) detail.totalLatencyMs += record.latencyMs;
  const failure = record.status === 'completed' && !record.pass ? record.assertions.find((a) => !a.pass) : undefined;
  if (failure && detail.failures.length < MAX_MESSAGES && !detail.failures.some((f) => f.message === failure.message)) detail.failures = [...detail.failures, failure];
  const error = record.error;
  if (error && detail.errors.length < MAX_MESSAGES && !detail.errors.some((e) => e.code === error.code && e.message === error.message)) detail.errors = [...detail.errors, error];
  if (maxSamples === 0) return;
  if (detail.kept.length < maxSamples) {
    if (detail.kept === NONE) detail.kept = [];
    detail.kept.push(toRef(record, where, detail.keptSamples));
    return;
  }
  // Full: the new sample replaces the least interesting one kept, if it is more interesting.
  let least = 0;
  for (let i = 1; i < detail.kept.length; i++) if (byInterest(detail.kept[i]!, detail.kept[least]!) > 0) least = i;
  if (byInterest(record, detail.kept[least]!) < 0) detail.kept[least] = toRef(record, where, detail.keptSamples);
}

function toRef(record: SampleRecord, { position, bytes }: { position: number; bytes: number }, samples: KeptSamples): SampleRef {
  const ref: SampleRef = { status: record.status, pass: record.pass, repeat: record.repeat, sampleIndex: record.sampleIndex, position, bytes };
  if (samples.inMemory) ref.excerpt = toExcerpt(record, samples.maxChars);
  return ref;
}

/**
 * A case asks the same at every setting: its prompts, cut, are kept once per case and shared by the
 * details of its settings (25,000 details of 6,250 cases hold 6,250 prompts, not 25,000). A prompt
 * that differs from those kept for its case is kept as well; details share a prompt only when it is
 * the same text, so reports that show it are unchanged. Shared prompts are never changed after.
 */
class SharedPrompts {
  private readonly byCase = new Map<string, { json: string; prompt: TrialPrompt }[]>();

  cut(record: Pick<SampleRecord, 'suite' | 'case'>, asked: TrialPrompt, maxChars: number): TrialPrompt {
    const prompt = cutPrompt(asked, maxChars);
    const json = JSON.stringify(prompt);
    const key = `${record.suite}\u0000${record.case}`;
    const kept = this.byCase.get(key);
    const same = kept?.find((k) => k.json === json);
    if (same) return same.prompt;
    if (kept) kept.push({ json, prompt });
    else this.byCase.set(key, [{ json, prompt }]);
    return prompt;
  }
}

function cutPrompt(prompt: TrialPrompt, maxChars: number): TrialPrompt {
  const cut = (text: string) => (text.length > maxChars ? `${text.slice(0, maxChars)}… (${(text.length - maxChars).toLocaleString('en-US')} more characters in results.jsonl)` : text);
  return {
    systemPrompt: prompt.systemPrompt === null ? null : cut(prompt.systemPrompt),
    messages: prompt.messages.map((m) => ({ role: m.role, content: cut(m.content) })),
    vars: prompt.vars,
  };
}

function toExcerpt(record: SampleRecord, maxChars: number): SampleExcerpt {
  const text = record.text;
  const isLong = text !== null && text.length > maxChars;
  return {
    repeat: record.repeat,
    sampleIndex: record.sampleIndex,
    status: record.status,
    pass: record.pass,
    text: isLong ? text.slice(0, maxChars) : text,
    truncatedChars: isLong ? text.length - maxChars : 0,
    finishReason: record.finishReason,
    usage: record.usage,
    costUsd: record.costUsd,
    latencyMs: record.latencyMs,
    assertions: record.assertions,
    error: record.error,
  };
}
