import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PROVIDERS } from '../config/choices.js';
import { EvalgateError } from '../core/evalgate-error.js';
import type { Trial } from '../plan/trial.js';
import type { RunConfigRecord } from '../results/run-summary.js';

/** What `run` was asked to do, in a form `--resume` can ask again. Paths are absolute. */
export const RunInvocationSchema = z.strictObject({
  suites: z.array(z.string()),
  config: z.string().nullable(),
  provider: z.enum(PROVIDERS),
  levels: z.array(z.string()).nullable(),
  samples: z.array(z.string()).nullable(),
  filter: z.array(z.string()),
  seed: z.number().nullable(),
  cassettes: z.string().nullable(),
  /** `--shard i/n`: this folder holds one part of the plan. */
  shard: z.strictObject({ index: z.int().min(1), count: z.int().min(1) }).nullable(),
  /** `--gate-on`, as given; absent from runs started before it existed. */
  gateOn: z.array(z.string()).nullable().optional(),
  /** `--until-decided` / `--no-until-decided` as given (null: not given); absent from runs started before it existed. */
  untilDecided: z.boolean().nullable().optional(),
  /** `--max-cases` as given. */
  maxCases: z.int().min(1).nullable().optional(),
  /** The seed of the case order, drawn or given: a resumed run takes its cases in the same order. */
  orderSeed: z.int().nullable().optional(),
  /**
   * The baseline a run that samples until decided stopped against: its resume must ask the same
   * questions of the same baseline. Null or absent otherwise.
   */
  baseline: z.strictObject({ path: z.string(), runId: z.string() }).nullable().optional(),
});
export type RunInvocation = z.infer<typeof RunInvocationSchema>;

/** run.json: written when a run starts, read by `--resume` and `evalgate report`. */
export const RunManifestSchema = z.strictObject({
  schemaVersion: z.literal(1),
  runId: z.string(),
  startedAt: z.string(),
  invocation: RunInvocationSchema,
  /** `trials`: in this folder's part of the plan; `allTrials` and `fingerprint`: of the whole plan, shards and all. */
  plan: z.strictObject({
    trials: z.number(),
    allTrials: z.number(),
    fingerprint: z.string(),
    /** What decides the verdict (assertions, thresholds, gateOn, gate policy); absent from runs started before it was recorded. */
    verdict: z.strictObject({ gate: z.string(), suites: z.record(z.string(), z.string()) }).optional(),
  }),
  /** Where requests went, for reports rebuilt later. */
  provider: z.string(),
  simulated: z.boolean(),
  /** The run's configuration as summary.json records it (thresholds, limits), secrets removed. */
  config: z.custom<RunConfigRecord>((v) => typeof v === 'object' && v !== null && Array.isArray((v as RunConfigRecord).suites)),
});
export type RunManifest = z.infer<typeof RunManifestSchema>;

export const MANIFEST_FILE = 'run.json';

/**
 * A hash of what every trial will send: ids and requests. Resuming with suites or a config that
 * changed since would mix answers to different prompts in one run; the fingerprint catches it.
 */
export function planFingerprint(trials: readonly Trial[]): string {
  const hash = createHash('sha256');
  for (const trial of trials) hash.update(trial.id).update(JSON.stringify(trial.request)).update('\n');
  return hash.digest('hex');
}

/** Whether a run folder's answers came from the built-in simulator (its run.json says so); a folder without a readable run.json counts as real. */
export function isSimulatedRun(runDir: string): boolean {
  try {
    return readManifest(runDir).simulated;
  } catch {
    return false;
  }
}

/** Reads a run folder's run.json, or says plainly why it cannot be used. */
export function readManifest(runDir: string): RunManifest {
  const file = path.join(runDir, MANIFEST_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? `${file} does not exist` : `${file} is not valid JSON`;
    throw new EvalgateError('USAGE', `${runDir} is not a run folder: ${reason}`, { hint: 'give the folder of a run started by evalgate run (it holds run.json and results.jsonl)' });
  }
  const parsed = RunManifestSchema.safeParse(raw);
  if (!parsed.success) throw new EvalgateError('USAGE', `${file} is not a run manifest this version understands`);
  return parsed.data;
}
