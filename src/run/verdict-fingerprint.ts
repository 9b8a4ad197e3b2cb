import { createHash } from 'node:crypto';
import type { LoadedSuite } from '../config/loaded-suite.js';

/**
 * Hashes of everything that decides a verdict apart from the answers: per suite its threshold,
 * `gateOn` and every case's assertions (a compiled schema counts by its content, not its path); and
 * the gate's policy. A resumed run whose verdict fingerprint changed would judge its first answers by
 * one set of rules and its last by another.
 */
export interface VerdictFingerprint {
  gate: string;
  suites: Record<string, string>;
}

export function verdictFingerprint(suites: readonly LoadedSuite[], gatePolicy: unknown): VerdictFingerprint {
  return {
    gate: hashOf(gatePolicy),
    suites: Object.fromEntries(
      suites.map((s) => [s.name, hashOf({ threshold: s.threshold, gateOn: s.gateOn ?? null, cases: s.cases.map((c) => ({ id: c.id, assertions: c.assertions })) })]),
    ),
  };
}

/** What changed between two fingerprints, in words ("the gate settings", "suite x's assertions or threshold"); empty when nothing did. */
export function verdictChanges(before: VerdictFingerprint, now: VerdictFingerprint): string[] {
  const changes: string[] = [];
  if (before.gate !== now.gate) changes.push('the gate settings (gate: in evalconfig.yaml)');
  for (const [suite, hash] of Object.entries(now.suites)) {
    if (before.suites[suite] !== undefined && before.suites[suite] !== hash) changes.push(`suite ${suite}'s assertions, threshold or gateOn`);
  }
  return changes;
}

function hashOf(value: unknown): string {
  // A compiled JSON Schema (an ajv function) stands for the schema it was compiled from.
  const json = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'function' ? ((v as { schema?: unknown }).schema ?? String(v)) : v));
  return createHash('sha256').update(json ?? 'null').digest('hex').slice(0, 16);
}
