import { randomUUID } from 'node:crypto';
import PQueue from 'p-queue';
import { Agent, type Dispatcher } from 'undici';
import type { DryRunConfig } from '../../config/config-schema.js';
import { EvalgateError, ExitCode } from '../../errors.js';
import type { Trial } from '../../plan/trial.js';
import { formatSetting } from '../../results/format-figures.js';
import { toRunwareTask } from './runware-task.js';

export interface DryRunOptions {
  /** Full endpoint URL, e.g. https://api.runware.ai/v1. */
  apiUrl: string;
  /** Sent as `Authorization: Bearer …`; never in a message. */
  apiKey: string;
  dryRun: DryRunConfig;
  /** Dry runs in flight at once. */
  concurrency: number;
  timeoutMs: number;
  /** For tests: undici's MockAgent. */
  dispatcher?: Dispatcher;
}

/**
 * `evalgate estimate --exact`: asks Runware to price each distinct request of the plan with a dry run
 * (validated and priced, never run or charged) and returns each trial's prompt cost in USD, for all
 * its results, by trial id. Where the price is in the answer and what it covers come from `dryRun:`
 * in evalconfig.yaml, because Runware has not documented the answer. Any failure throws, naming the
 * first: an estimate half exact and half not would read as exact.
 */
export async function priceByDryRun(trials: readonly Trial[], options: DryRunOptions): Promise<Map<string, number>> {
  const url = new URL(options.apiUrl);
  const dispatcher = options.dispatcher ?? new Agent({ connections: options.concurrency });
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json',
    authorization: `Bearer ${options.apiKey}`,
    'user-agent': 'evalgate',
    [options.dryRun.header]: '1',
  };
  const redact = (text: string) => text.split(options.apiKey).join('[redacted]');
  const byRequest = new Map<string, Trial[]>();
  for (const trial of trials) {
    const key = JSON.stringify(trial.request);
    const same = byRequest.get(key);
    if (same) same.push(trial);
    else byRequest.set(key, [trial]);
  }

  const prices = new Map<string, number>();
  const failures: string[] = [];
  const queue = new PQueue({ concurrency: options.concurrency });
  try {
    await queue.addAll(
      [...byRequest.values()].map((group) => async () => {
        const trial = group[0]!;
        const taskUUID = randomUUID();
        try {
          const response = await dispatcher.request({
            origin: url.origin,
            path: `${url.pathname}${url.search}` || '/',
            method: 'POST',
            headers,
            body: JSON.stringify([toRunwareTask(trial.request, taskUUID)]),
            signal: AbortSignal.timeout(options.timeoutMs),
          });
          const text = await response.body.text();
          const usd = readPrice(response.statusCode, text, taskUUID, options.dryRun.costField);
          if (typeof usd === 'string') {
            failures.push(`${describe(trial)}: ${redact(usd)}`);
            return;
          }
          const promptUsd = options.dryRun.covers === 'prompt' ? usd : Math.max(0, usd - outputAtMost(trial));
          for (const t of group) prices.set(t.id, promptUsd);
        } catch (error) {
          failures.push(`${describe(trial)}: ${redact((error as Error).message)}`);
        }
      }),
    );
  } finally {
    if (!options.dispatcher) await dispatcher.close();
  }
  if (failures.length > 0) {
    throw new EvalgateError('INFRASTRUCTURE', `${failures.length} of ${byRequest.size} dry runs failed; nothing was run or charged. First: ${failures[0]}`, {
      exitCode: ExitCode.infrastructure,
      hint: 'check RUNWARE_API_KEY and RUNWARE_API_URL; Runware has not documented the dry run\'s answer, so dryRun: in evalconfig.yaml sets its header, costField and what it covers',
    });
  }
  return prices;
}

/** The price in the answer, or why there is none. */
function readPrice(status: number, text: string, taskUUID: string, costField: string): number | string {
  let body: { data?: unknown; errors?: { code?: unknown; message?: unknown }[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return `HTTP ${status}, an answer that is not JSON`;
  }
  if (status !== 200) {
    const first = Array.isArray(body.errors) ? body.errors[0] : undefined;
    return `HTTP ${status}${first ? ` ${String(first.code)}: ${String(first.message)}` : ''}`;
  }
  const item = Array.isArray(body.data) ? (body.data as Record<string, unknown>[]).find((d) => d?.taskUUID === taskUUID) : undefined;
  const value = item?.[costField];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return `no price in "${costField}" of the answer's data item for the task`;
  return value;
}

/** What every result of a trial costs at most in output: all of maxTokens at the output price. */
function outputAtMost(trial: Trial): number {
  const price = trial.pricing.price;
  return price ? (trial.setting.numberResults * trial.request.maxTokens * price.output) / 1_000_000 : 0;
}

function describe(trial: Trial): string {
  return `${trial.suite}/${trial.caseId} · ${formatSetting(trial.setting)}`;
}
