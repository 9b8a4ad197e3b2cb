import type { RunSummary } from '../results/run-summary.js';

/** What every report says of a suite the simulator answered with placeholders. */
export const PLACEHOLDER_WARNING = 'placeholder answers: these pass rates say nothing about your prompt';

/**
 * The warning for a run whose simulator had no scenario for some suites, naming them and how to write
 * one; undefined when every suite had one (or the run was not simulated).
 */
export function placeholderNote(summary: Pick<RunSummary, 'config'>): string | undefined {
  const suites = summary.config.placeholderSuites ?? [];
  if (suites.length === 0) return undefined;
  const files = suites.map((name) => summary.config.suites.find((s) => s.name === name)?.file ?? name);
  return `${PLACEHOLDER_WARNING}. No simulator scenario matches ${suites.length === 1 ? 'suite' : 'suites'} ${suites.join(', ')}; write one with: evalgate scenario ${files[0]}`;
}
