import { z } from 'zod';
import { GateOnSchema } from './gate-on.js';
import { JudgeConfigSchema } from './judge-schema.js';
import { ModelOverrideSchema } from './model-table.js';
import { DELIVERY_METHODS } from '../core/runware-limits.js';
import { FaultsSchema } from './simulator-faults.js';

import { PROVIDERS, REPORTERS } from './choices.js';

export { PROVIDERS, REPORTERS, type ProviderName, type ReporterName } from './choices.js';

/** How failed requests are retried. Only retryable failures (408, 429, 5xx, network, timeouts) are. */
/** `maxResultBytes` when evalconfig.yaml sets none: 4 MiB, some thousand times a long answer. */
export const DEFAULT_MAX_RESULT_BYTES = 4 * 1024 * 1024;

/** The most requests a run may have in flight at once (`concurrency`, `--concurrency`). */
export const MAX_CONCURRENCY = 1024;

export const RetrySchema = z
  .strictObject({
    maxAttempts: z.int().min(1).max(20).default(4).describe('Attempts per trial, the first included. @default 4'),
    baseDelayMs: z.int().min(0).default(1000).describe('Backoff before the second attempt; doubles each time, with full jitter. @default 1000'),
    maxDelayMs: z.int().min(0).default(30_000).describe('Longest backoff between attempts. @default 30000'),
    maxRetryAfterMs: z.int().min(0).default(60_000).describe('Longest `Retry-After` honoured; longer waits are cut to this. @default 60000'),
    trialDeadlineMs: z
      .int()
      .min(1)
      .default(900_000)
      .describe('Longest time one trial may take, attempts and waits included; no retry starts past it, and a stream still arriving at it is cut. @default 900000'),
    budget: z
      .number()
      .min(0)
      .default(1)
      .describe('Retries the whole run may make, per planned trial (at least 10 in all); when spent, failures are recorded without retrying. @default 1'),
  })
  .describe('Retry policy for failed requests.');
export type RetryPolicy = z.infer<typeof RetrySchema>;

/** When a change against `--baseline` fails the gate (docs/ci.md). */
export const GateSchema = z
  .strictObject({
    alpha: z
      .number()
      .gt(0)
      .lt(1)
      .default(0.05)
      .describe('False-alarm rate of the whole regression gate: every test that can fail a run against its baseline (pass rate, cost, latency, cases) is in one Holm–Bonferroni family at this level. @default 0.05'),
    minDrop: z
      .number()
      .min(0)
      .max(1)
      .default(0.02)
      .describe('The smallest pass-rate drop that matters: smaller drops never fail, however significant, and a setting whose suite is too small to see a drop this size is said to be (see requirePower). @default 0.02'),
    maxDrop: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .default(null)
      .describe('A pass-rate drop larger than this fails even when not significant: a hard limit outside the false-alarm budget; null turns it off. @default null'),
    requirePower: z
      .boolean()
      .default(false)
      .describe('Fail (UNDERPOWERED) when a gated setting could not detect a drop of minDrop with 80% power; false: say so, do not fail. @default false'),
    maxCostIncrease: z
      .number()
      .min(0)
      .nullable()
      .default(0.2)
      .describe('Largest rise of cost per sample (0.2 = +20%); a larger rise fails only when it is also significant in the family; null: not checked. @default 0.2'),
    maxLatencyIncrease: z
      .number()
      .min(0)
      .nullable()
      .default(null)
      .describe('Largest rise of latency (per-case geometric mean, 0.2 = +20%) that does not fail; a larger, significant rise fails. Latency depends on the network and the API\'s load as much as on the prompt, so by default it is reported, never gated; null: reported only. @default null'),
    minLatencyIncreaseMs: z.number().min(0).default(100).describe('A latency rise smaller than this many ms (per-case geometric mean) never fails. @default 100'),
    latencyMinSamples: z.int().min(2).default(20).describe('Below this many completed samples on either side the latency check reports, never fails. @default 20'),
    caseRegressions: z
      .enum(['report', 'fail'])
      .default('report')
      .describe('A case that passed every sample in the baseline and fails every one now: `report` lists it; `fail` also tests each case (Fisher exact) inside the family, so one fails the gate only when it survives correction over every case and setting tested. @default report'),
    caseMinSamples: z.int().min(1).default(2).describe('A case is listed as regressed (passed every sample, now fails every one) only with this many completed samples on both sides. @default 2'),
  })
  .describe('Regression gate against a baseline run.');

/** Sampling until the verdict is known (`run --until-decided`, docs/statistics.md "Sequential sampling"). */
export const SequentialSchema = z
  .strictObject({
    untilDecided: z
      .boolean()
      .default(false)
      .describe('Draw cases in a seeded random order and stop each setting once anytime-valid tests decide its verdict (above or below threshold; with --baseline, regressed or not), for suites that set no untilDecided. @default false'),
    undecided: z
      .enum(['estimate', 'pass', 'fail'])
      .default('estimate')
      .describe('What the gate does with a gated setting still undecided after its last case: `estimate` judges its pass rate against the threshold as a fixed plan would; `pass` lets it pass with a notice; `fail` fails it (UNDECIDED). Regressions are judged by the gate as usual. @default estimate'),
    maxCases: z.int().min(1).nullable().default(null).describe('At most this many cases of each suite, the first drawn (`--max-cases`); null: every case. @default null'),
  })
  .describe('Sequential sampling: spend only the samples the verdict needs.');
export type SequentialConfig = z.infer<typeof SequentialSchema>;

/** How `async` delivery waits for results: polling getResponse with a backoff close to Runware's TS SDK's (docs/delivery.md). */
export const PollingSchema = z
  .strictObject({
    firstDelayMs: z.int().min(0).default(1000).describe('Wait before the first getResponse poll. @default 1000'),
    factor: z.number().min(1).default(1.5).describe('Each wait is the previous one times this. @default 1.5'),
    maxDelayMs: z.int().min(0).default(10_000).describe('Longest wait between two polls. @default 10000'),
    deadlineMs: z
      .int()
      .min(1)
      .default(600_000)
      .describe('Longest an async task may take, from sending it to its last result; results not there by then are errored samples (ASYNC_TIMEOUT), not retried. @default 600000'),
  })
  .describe('How async results are awaited.');
export type PollingPolicy = z.infer<typeof PollingSchema>;

/** Async results POSTed to `--webhook-listen`. */
export const WebhookSchema = z
  .strictObject({
    fallbackAfterMs: z
      .int()
      .min(0)
      .default(60_000)
      .describe('With --webhook-listen: how long after sending a task its results may take to reach the webhook before evalgate polls getResponse for the rest. @default 60000'),
  })
  .describe('How results POSTed to the webhook receiver are awaited.');
export type WebhookPolicy = z.infer<typeof WebhookSchema>;

/** The built-in simulator (`--provider simulator`). */
export const SimulatorConfigSchema = z
  .strictObject({
    seed: z.int().default(1).describe('Seed for every simulated answer. @default 1'),
    scenarios: z
      .string()
      .default('fixtures/simulator')
      .describe('Folder of scenario files, relative to the config; a folder named here must exist (the default may be missing: no scenarios, placeholder answers). @default fixtures/simulator'),
    latencyScale: z.number().min(0).default(1).describe('Multiplies every simulated latency; 0 answers at once. @default 1'),
    faults: FaultsSchema.prefault({}),
  })
  .describe('Settings of the built-in simulator.');
export type SimulatorConfig = z.infer<typeof SimulatorConfigSchema>;

/**
 * Runware's dry runs (`evalgate estimate --exact`): a request with this header is validated and priced,
 * never run or charged. The response's shape is unconfirmed, so where the figure is and what it covers
 * are settings.
 */
export const DryRunSchema = z
  .strictObject({
    header: z.string().min(1).default('X-Runware-Dry-Run').describe('Header sent, with the value `1`, to ask for a dry run. @default X-Runware-Dry-Run'),
    costField: z
      .string()
      .min(1)
      .default('cost')
      .describe('Field of the `data` item (matched to its task by taskUUID) that holds the price in USD. @default cost'),
    covers: z
      .enum(['prompt', 'request'])
      .default('prompt')
      .describe(
        'What that price covers. `prompt`: the input of every result (output tokens are still learned from earlier runs). ' +
          '`request`: the whole request at its most, every result using all of maxTokens; the prompt\'s share is that less the output. @default prompt',
      ),
  })
  .describe('How `evalgate estimate --exact` reads Runware dry runs (their response shape is unconfirmed).');
export type DryRunConfig = z.infer<typeof DryRunSchema>;

/** `evalconfig.yaml`. Every key has a default, so the file is optional. */
export const ConfigSpecSchema = z
  .strictObject({
    suites: z
      .array(z.string().min(1))
      .min(1)
      .default(['evals/**/*.{yaml,yml}'])
      .describe('Globs of suite files, relative to this file. @default ["evals/**/*.{yaml,yml}"]'),
    provider: z
      .enum(PROVIDERS)
      .default('runware')
      .describe('Where requests go: `runware` (the real API), `simulator` (offline), or `replay` (recorded answers). @default runware'),
    cassettes: z
      .string()
      .min(1)
      .default('fixtures/cassettes')
      .describe('Folder of recorded answers that `--provider replay` answers from, relative to this file. @default fixtures/cassettes'),
    model: z.string().min(1).default('openai-gpt-5-5').describe('Model of suites that name none. @default openai-gpt-5-5'),
    concurrency: z.int().min(1).max(MAX_CONCURRENCY).default(8).describe(`Requests in flight at once, at most ${MAX_CONCURRENCY}. @default 8`),
    requestTimeoutMs: z
      .int()
      .min(1)
      .default(180_000)
      .describe('Longest one HTTP request may take before it is abandoned and retried: a sync answer, or one async submission or poll; for a stream, the longest it may go without receiving anything (a stream that keeps arriving is capped by retry.trialDeadlineMs). @default 180000'),
    assertionTimeoutMs: z
      .int()
      .min(1)
      .default(1000)
      .describe('Longest a regex assertion may run on one output (a pattern that backtracks catastrophically); past it the assertion errors and the sample fails. @default 1000'),
    retry: RetrySchema.prefault({}),
    batchSize: z
      .int()
      .min(1)
      .max(64)
      .default(1)
      .describe(
        "Tasks per HTTP request: sync tasks and async submissions sent at the same moment share a request, up to this many (streams never do). Runware's own maximum is unconfirmed. @default 1",
      ),
    deliveryMethod: z
      .enum(DELIVERY_METHODS)
      .optional()
      .describe('Delivery method of suites that set none: `sync`, `async` or `stream`. @default sync (async for xhigh requests that could outlive requestTimeoutMs)'),
    maxImageBytes: z
      .int()
      .min(1)
      .default(20 * 1024 * 1024)
      .describe("Largest image a suite's inputs.images may hold (a file, or a data URI decoded), in bytes; checked at load. Runware's own limit is unconfirmed. @default 20971520 (20 MiB)"),
    maxResultBytes: z
      .int()
      .min(1024)
      .default(DEFAULT_MAX_RESULT_BYTES)
      .describe(
        'Largest answer read per result, in bytes: a response may be this times the results it carries (a stream, this for its one result). A larger one is cut off and its samples error with RESPONSE_TOO_LARGE, rather than held in memory and journaled. @default 4194304 (4 MiB)',
      ),
    polling: PollingSchema.prefault({}),
    webhook: WebhookSchema.prefault({}),
    outDir: z.string().min(1).default('reports').describe('Folder of run folders, relative to this file. @default reports'),
    reporters: z
      .array(z.enum(REPORTERS))
      .min(1)
      .default(['console', 'json', 'junit', 'markdown', 'html'])
      .describe('Reports to produce: console, junit (junit.xml), markdown (summary.md), html (report.html); summary.json (json) is always written. @default all five'),
    threshold: z.number().min(0).max(1).default(0.8).describe('Minimum pass rate of suites that set none. @default 0.8'),
    gate: GateSchema.prefault({}),
    sequential: SequentialSchema.prefault({}),
    gateOn: GateOnSchema.optional().describe('The settings the gate judges in suites that set no gateOn (threshold and baseline regressions); the others are measured, not gated. @default every setting'),
    maxErrorRate: z
      .number()
      .min(0)
      .max(1)
      .default(1)
      .describe('Share of errored samples at which the run counts as an infrastructure failure (exit 3); 1 means only when every sample errored. @default 1'),
    models: z
      .record(z.string().min(1), ModelOverrideSchema)
      .default({})
      .describe('Additions to and overrides of the built-in model table, keyed by the id suites use.'),
    simulator: SimulatorConfigSchema.prefault({}),
    dryRun: DryRunSchema.prefault({}),
    judge: JudgeConfigSchema.prefault({}),
  })
  .describe('evalgate configuration (evalconfig.yaml).');

export type ConfigSpec = z.infer<typeof ConfigSpecSchema>;
