import { createReadStream, existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { THINKING_LEVELS } from '../core/runware-limits.js';
import { RESULT_LINE_SCHEMA_VERSION } from '../core/sample-record.js';
import type { UsageHistory, UsageRecord } from './usage-history.js';

/** Run folders read at most, newest first: recent runs reflect the prompts as they are now. */
export const MAX_HISTORY_RUNS = 20;
/** Samples read at most, newest runs first: plenty for a mean, and a bound on the time a run takes to start. */
export const MAX_HISTORY_SAMPLES = 200_000;

/** What was read. */
export interface HistoryRead {
  /** The run folders read, newest first. */
  runDirs: string[];
  /** Lines that were not a sample record (a torn last line, say), skipped. */
  skippedLines: number;
}

/**
 * Feeds earlier runs' results.jsonl into `history`, a line at a time (a file is never held whole).
 * `root` is a run folder (it holds results.jsonl) or a folder of run folders (`reports/`); of the
 * latter, the newest {@link MAX_HISTORY_RUNS} by the time their journal was last written, until
 * {@link MAX_HISTORY_SAMPLES} samples are learned (the last run read may be read in part), never the
 * `latest` link (it would count a run twice), never `exclude` (the run being made), never a run
 * `skip` names (`evalgate run` against the API skips the simulator's). A missing root is an empty
 * history.
 */
export async function readUsageHistory(
  root: string,
  history: UsageHistory,
  options: { exclude?: string; maxRuns?: number; maxSamples?: number; skip?: (runDir: string) => boolean } = {},
): Promise<HistoryRead> {
  const maxRuns = options.maxRuns ?? MAX_HISTORY_RUNS;
  const candidates: string[] = [];
  for (const dir of findRunDirs(root, options.exclude)) {
    if (candidates.length >= maxRuns) break;
    if (!options.skip?.(dir)) candidates.push(dir);
  }
  const maxSamples = options.maxSamples ?? MAX_HISTORY_SAMPLES;
  const runDirs: string[] = [];
  let skippedLines = 0;
  for (const dir of candidates) {
    if (history.samples >= maxSamples) break;
    runDirs.push(dir);
    const input = createReadStream(path.join(dir, 'results.jsonl'), 'utf8');
    const lines = createInterface({ input, crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      const record = parseUsageRecord(line);
      if (record) history.add(record);
      else skippedLines++;
      if (history.samples >= maxSamples) break;
    }
    input.destroy();
  }
  return { runDirs, skippedLines };
}

function findRunDirs(root: string, exclude: string | undefined): string[] {
  const excluded = exclude !== undefined ? path.resolve(exclude) : undefined;
  if (!existsSync(root)) return [];
  const journal = (dir: string) => path.join(dir, 'results.jsonl');
  if (existsSync(journal(root))) return path.resolve(root) === excluded ? [] : [root];
  const runs: { dir: string; mtimeMs: number }[] = [];
  for (const name of readdirSync(root)) {
    const dir = path.join(root, name);
    if (path.resolve(dir) === excluded || lstatSync(dir).isSymbolicLink() || !statSync(dir).isDirectory() || !existsSync(journal(dir))) continue;
    runs.push({ dir, mtimeMs: statSync(journal(dir)).mtimeMs });
  }
  return runs.sort((a, b) => b.mtimeMs - a.mtimeMs || b.dir.localeCompare(a.dir)).map((r) => r.dir);
}

/** A results.jsonl line's fields that the history uses, or undefined when the line is not one. */
export function parseUsageRecord(line: string): UsageRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Record<string, unknown>;
  const isString = (v: unknown): v is string => typeof v === 'string';
  if (!isString(r.suite) || !isString(r.case) || !isString(r.model) || !(THINKING_LEVELS as readonly unknown[]).includes(r.thinkingLevel)) return undefined;
  if (r.status !== 'completed' && r.status !== 'errored') return undefined;
  // A line of a newer shape than this evalgate reads teaches nothing it can trust.
  if (r.schemaVersion !== undefined && r.schemaVersion !== RESULT_LINE_SCHEMA_VERSION) return undefined;
  const usage = r.usage as Record<string, unknown> | null | undefined;
  const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  const hasUsage = typeof usage === 'object' && usage !== null && isCount(usage.promptTokens) && isCount(usage.completionTokens) && isCount(usage.thinkingTokens);
  return {
    suite: r.suite,
    case: r.case,
    model: r.model,
    thinkingLevel: r.thinkingLevel as UsageRecord['thinkingLevel'],
    status: r.status,
    usage: hasUsage
      ? {
          promptTokens: usage.promptTokens as number,
          completionTokens: usage.completionTokens as number,
          thinkingTokens: usage.thinkingTokens as number,
          totalTokens: isCount(usage.totalTokens) ? usage.totalTokens : 0,
        }
      : null,
    costUsd: isCount(r.costUsd) ? r.costUsd : null,
  };
}
