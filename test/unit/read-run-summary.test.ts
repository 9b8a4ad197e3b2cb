import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRunSummary } from '../../src/run/read-baseline.js';
import { makeGroup } from '../support/builders.js';

describe('readRunSummary', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-read-summary-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the figures an older summary lacks as null, not as missing', () => {
    const { costPerSampleCi95: _dropped, ...group } = makeGroup({ costPerSampleCi95: [0, 1] });
    const kase = { suite: 's', case: 'c1', model: 'openai-gpt-5-5', thinkingLevel: 'low', numberResults: 1, samples: 1, passed: 1, failed: 0, errored: 0, passRate: 1, flaky: false, passAtK: [1], passHatK: [1], firstFailure: null };
    writeFileSync(path.join(dir, 'summary.json'), JSON.stringify({ schemaVersion: 1, runId: 'old', groups: [group], cases: [kase] }));
    const summary = readRunSummary(dir, dir, 'run A');
    expect(summary.groups[0]!.costPerSampleCi95).toBeNull();
    expect(summary.cases[0]!.costPerSampleUsd).toBeNull();
  });

  it('refuses a summary of another schema version, naming the argument', () => {
    writeFileSync(path.join(dir, 'summary.json'), JSON.stringify({ schemaVersion: 2, runId: 'new', groups: [], cases: [] }));
    expect(() => readRunSummary(dir, dir, '--baseline')).toThrow(/--baseline: .* is not an evalgate summary.json of schema version 1/);
  });
});
