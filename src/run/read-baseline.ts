import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { EvalgateError } from '../core/evalgate-error.js';
import { SUMMARY_SCHEMA_VERSION, type RunSummary } from '../results/run-summary.js';

/**
 * Reads the summary.json of a baseline: a run folder (reports/baseline, a CI artefact) or the file
 * itself. Says plainly what is wrong when it is missing or not a summary this version understands.
 */
export function readBaseline(location: string, cwd: string): RunSummary {
  return readRunSummary(location, cwd, '--baseline');
}

/** Reads the summary.json of a run folder (or the file itself); `label` names the argument in errors. */
export function readRunSummary(location: string, cwd: string, label: string): RunSummary {
  const given = path.resolve(cwd, location);
  const file = existsSync(given) && statSync(given).isDirectory() ? path.join(given, 'summary.json') : given;
  const hint = 'pass a run folder or its summary.json (e.g. the artefact of the last green run of main, or reports/baseline from `evalgate baseline save`)';
  if (!existsSync(file)) throw new EvalgateError('USAGE', `${label}: ${location} has no summary.json`, { hint });
  let value: Partial<RunSummary>;
  try {
    value = JSON.parse(readFileSync(file, 'utf8')) as Partial<RunSummary>;
  } catch {
    throw new EvalgateError('USAGE', `${label}: ${location} is not valid JSON`, { hint });
  }
  if (value.schemaVersion !== SUMMARY_SCHEMA_VERSION || !Array.isArray(value.groups) || !Array.isArray(value.cases)) {
    throw new EvalgateError('USAGE', `${label}: ${location} is not an evalgate summary.json of schema version ${SUMMARY_SCHEMA_VERSION}`, { hint });
  }
  return normalizeSummary(value as RunSummary);
}

/** A summary an older evalgate wrote, with the figures added since then read as unknown (null) rather than absent. */
function normalizeSummary(summary: RunSummary): RunSummary {
  return {
    ...summary,
    groups: summary.groups.map((g) => ({ ...g, costPerSampleCi95: g.costPerSampleCi95 ?? null })),
    cases: summary.cases.map((c) => ({ ...c, costPerSampleUsd: c.costPerSampleUsd ?? null })),
  };
}
