import { randomUUID } from 'node:crypto';
import PQueue from 'p-queue';
import { Agent, type Dispatcher } from 'undici';
import type { DryRunConfig } from '../../config/config-schema.js';
import { EvalgateError, ExitCode } from '../../core/evalgate-error.js';
import type { Trial } from '../../plan/trial.js';
import { priceUsage } from '../../cost/price-usage.js';
import { formatUsd } from '../../core/format-figures.js';
import { readUsage } from './read-result-item.js';
import { toRunwareTask } from './runware-task.js';
import { settingLabel } from '../../core/setting.js';

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
 * first: an estimate half exact and half not would read as exact. The first request goes alone, as a
 * probe: when it comes back run (text, usage), the header was not honoured and nothing else is sent.
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
  const ran: { trial: Trial; costUsd: number | null }[] = [];
  const priceGroup = async (group: readonly Trial[]) => {
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
      const real = readRealAnswer(response.statusCode, text, taskUUID, trial);
      if (real) {
        ran.push({ trial, costUsd: real.costUsd });
        return;
      }
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
  };
  const groups = [...byRequest.values()];
  if (groups.length === 0) return prices;
  const queue = new PQueue({ concurrency: options.concurrency });
  try {
    // One request first, alone: a server that ignores the dry-run header runs it and bills it, and
    // then the rest must never be sent.
    await priceGroup(groups[0]!);
    if (ran.length === 0) await queue.addAll(groups.slice(1).map((group) => () => priceGroup(group)));
  } finally {
    if (!options.dispatcher) await dispatcher.close();
  }
  if (ran.length > 0) throw notHonoured(ran, options.dryRun.header, groups.length);
  if (failures.length > 0) {
    throw new EvalgateError('INFRASTRUCTURE', `${failures.length} of ${byRequest.size} dry runs failed; nothing was run or charged. First: ${failures[0]}`, {
      exitCode: ExitCode.infrastructure,
      hint: 'check RUNWARE_API_KEY and RUNWARE_API_URL; Runware has not documented the dry run\'s answer, so dryRun: in evalconfig.yaml sets its header, costField and what it covers',
    });
  }
  return prices;
}

/**
 * The server answered a dry run as a real request: its data item for the task holds the model's text
 * or usage. Its cost is the answer's own `cost` figures, else the price table's for its usage; null when
 * neither says.
 */
function readRealAnswer(status: number, text: string, taskUUID: string, trial: Trial): { costUsd: number | null } | null {
  if (status !== 200) return null;
  let body: { data?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return null;
  }
  const items = Array.isArray(body.data) ? (body.data as unknown[]).filter((d): d is Record<string, unknown> => d !== null && typeof d === 'object' && (d as Record<string, unknown>).taskUUID === taskUUID) : [];
  const answers = items.filter((item) => typeof item.text === 'string' || (item.usage !== null && typeof item.usage === 'object'));
  if (answers.length === 0) return null;
  let costUsd: number | null = 0;
  for (const item of answers) {
    const usage = readUsage(item.usage);
    const reported = typeof item.cost === 'number' && Number.isFinite(item.cost) && item.cost >= 0 ? item.cost : null;
    const usd = reported ?? (usage ? priceUsage(usage, trial.pricing) : null);
    costUsd = usd === null || costUsd === null ? null : costUsd + usd;
  }
  return { costUsd };
}

function notHonoured(ran: readonly { trial: Trial; costUsd: number | null }[], header: string, distinct: number): EvalgateError {
  const known = ran.every((r) => r.costUsd !== null);
  const total = ran.reduce((sum, r) => sum + (r.costUsd ?? 0), 0);
  const cost = known ? `it cost ${formatUsd(total)}` : 'what it cost is not known (no cost and no usage priced by the model table)';
  const what = ran.length === 1 ? `the one request sent (${describe(ran[0]!.trial)}) was run and answered` : `${ran.length} requests were run and answered`;
  const rest = distinct - ran.length;
  const unsent = rest === 0 ? '' : rest === 1 ? ' The other request was not sent.' : ` The other ${rest} were not sent.`;
  return new EvalgateError('INFRASTRUCTURE', `the dry run was not honoured: ${what} with text and usage, not priced; ${cost}.${unsent}`, {
    exitCode: ExitCode.infrastructure,
    hint: `this server ignores the ${header} header (Runware has not documented it); estimate without --exact, or set dryRun.header in evalconfig.yaml to the one it honours`,
  });
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
  return `${trial.suite}/${trial.caseId} · ${settingLabel(trial.setting)}`;
}
