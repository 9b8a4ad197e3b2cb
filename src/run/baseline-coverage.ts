import type { RunSummary } from '../results/run-summary.js';
import type { RunManifest } from './run-manifest.js';

/** What a baseline run covers, recorded beside it as baseline.json so a later comparison can say what it stands on. */
export interface BaselineCoverage {
  runId: string;
  savedAt: string;
  suites: string[];
  settings: number;
  cases: number;
  samples: number;
  /** Why the run would not have made a sound baseline, when it was saved with --force; empty otherwise. */
  caveats: string[];
}

/**
 * Why a run makes a poor baseline, in words: a baseline compares every later run with itself, so one
 * that was interrupted, filtered, one shard of several, cut short by the budget, or full of errors
 * would fail or excuse runs for reasons that are not theirs. Empty when it is sound.
 */
export function baselineCaveats(summary: RunSummary, manifest: RunManifest | undefined): string[] {
  const caveats: string[] = [];
  if (summary.interrupted) caveats.push('it was interrupted before every trial was sent');
  const filters = [
    summary.config.filter.length > 0 && `--filter ${summary.config.filter.join(' ')}`,
    summary.config.thinkingLevels !== null && `--levels ${summary.config.thinkingLevels.join(',')}`,
    summary.config.numberResults !== null && `--samples ${summary.config.numberResults.join(',')}`,
  ].filter((f): f is string => typeof f === 'string');
  if (filters.length > 0) caveats.push(`it ran part of the suites (${filters.join(', ')})`);
  const shard = manifest?.invocation.shard;
  if (shard && shard.count > 1) caveats.push(`it is shard ${shard.index}/${shard.count} of a run (merge the shards with evalgate merge, then save the merged run)`);
  const stopped = summary.sequential?.groups.filter((g) => g.savedSamples > 0) ?? [];
  if (stopped.length > 0) {
    caveats.push(`it sampled until decided, and ${stopped.length} of its settings stopped before their last case (a baseline should have every case: run it with --no-until-decided)`);
  }
  if (summary.skipped) caveats.push(summary.skipped.cause === 'refused' ? `the API refused the run, leaving ${summary.skipped.trials} trials unsent` : `the budget left ${summary.skipped.trials} trials unsent`);
  const { samples, errored } = summary.totals;
  if (summary.gate.reasons.some((r) => r.code === 'TOO_MANY_ERRORS' || r.code === 'NO_COMPLETED_SAMPLES')) {
    caveats.push(`${errored} of ${samples} samples errored (at or above maxErrorRate, or a setting with no answer)`);
  }
  return caveats;
}

export function baselineCoverage(summary: RunSummary, caveats: string[], now: Date): BaselineCoverage {
  return {
    runId: summary.runId,
    savedAt: now.toISOString(),
    suites: summary.config.suites.map((s) => s.name),
    settings: summary.groups.length,
    cases: new Set(summary.cases.map((c) => `${c.suite}/${c.case}`)).size,
    samples: summary.totals.samples,
    caveats,
  };
}
