import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SampleRecord } from '../../src/core/sample-record.js';
import { collectCaseDetails, detailLimits } from '../../src/results/collect-case-details.js';
import { RunSummarizer } from '../../src/results/run-summarizer.js';
import type { RunSummary } from '../../src/results/run-summary.js';
import { createJunitReporter } from '../../src/reporters/junit-reporter.js';
import { emitJunit, renderJunit } from '../../src/reporters/render-junit.js';
import { buildRunSummary } from '../../src/run/finish-run.js';
import { makeErroredRecord, makeRecord, makeSequentialGroup, makeSequentialSummary } from '../support/builders.js';
import { renderJunitEager } from '../support/render-junit-eager.js';
import { validateJunit } from '../support/junit-schemas.js';

const dir = mkdtempSync(path.join(tmpdir(), 'evalgate-junit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Three suites, 40 cases × 2 levels each: passes, failures (some flaky), errors, odd latencies, hostile text. */
function records(): SampleRecord[] {
  const out: SampleRecord[] = [];
  for (const suite of ['s', 't', 'u']) {
    for (let i = 0; i < 40; i++) {
      for (const thinkingLevel of ['low', 'high'] as const) {
        const trialId = `${suite}-${i}-${thinkingLevel}`;
        for (let sampleIndex = 0; sampleIndex < 2; sampleIndex++) {
          const common = { suite, case: `c${i}`, thinkingLevel, numberResults: 2, trialId, sampleIndex, latencyMs: 100 + ((i * 37 + sampleIndex * 11) % 97) / 3 };
          const kind = (i + sampleIndex) % 7;
          if (i % 9 === 4) out.push(makeErroredRecord({ ...common, error: { code: 'SERVICE_UNAVAILABLE', message: `503 <b>"down"</b> & \u0007 ${i}` } }));
          else if (kind === 1 || i % 11 === 0) out.push(makeRecord({ ...common, pass: false, assertions: [{ type: 'regex', pass: false, message: `expected a match, got "]]> </failure> ${i}"` }] }));
          else out.push(makeRecord(common));
        }
      }
    }
  }
  return out;
}

function summaryOf(all: SampleRecord[]): RunSummary {
  const summarizer = new RunSummarizer(() => 0.8);
  all.forEach((r) => summarizer.add(r));
  return buildRunSummary(summarizer, {
    runId: 'r1', provider: 'simulator', simulated: true, startedAt: new Date('2026-12-06T10:00:00.456Z'), finishedAt: new Date('2026-12-06T10:01:00Z'),
    interrupted: false, plannedTrials: all.length / 2, skipped: null, estimate: null, projection: null,
    config: {
      provider: 'simulator', concurrency: 1, requestTimeoutMs: 1, retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0, trialDeadlineMs: 1, budget: 1 }, maxErrorRate: 1,
      suites: ['s', 't', 'u'].map((name) => ({ name, file: `${name}.yaml`, threshold: 0.8 })), filter: [], thinkingLevels: null, numberResults: null, apiUrl: null, placeholderSuites: ['t'],
    },
  });
}

describe('junit.xml streamed', () => {
  const all = records();
  const journal = path.join(dir, 'results.jsonl');
  writeFileSync(journal, `${all.map((r) => JSON.stringify(r)).join('\n')}\n`);
  const summary = summaryOf(all);
  const sequential = { ...summary, sequential: makeSequentialSummary([makeSequentialGroup({ thinkingLevel: 'low' }), makeSequentialGroup({ suite: 't', thinkingLevel: 'high', verdict: 'undecided', stoppedAtCase: null })]) };

  it('equals, byte for byte, the whole string the renderer built before it was streamed', async () => {
    const details = await collectCaseDetails(journal, detailLimits(summary.cases));
    for (const s of [summary, sequential]) {
      const expected = renderJunitEager(s, details, 'ci-runner');
      expect(expected).toMatch(/<failure /);
      expect(expected).toMatch(/<error /);
      let streamed = '';
      emitJunit(s, details, 'ci-runner', (text) => (streamed += text));
      expect(streamed).toBe(expected);
      expect(renderJunit(s, details, 'ci-runner')).toBe(expected);
    }
    expect(renderJunit(summaryOf([]), new Map(), 'h')).toBe(renderJunitEager(summaryOf([]), new Map(), 'h'));
  });

  it('hands out no piece holding more than one testcase', () => {
    const pieces: string[] = [];
    emitJunit(summary, new Map(), 'ci-runner', (text) => pieces.push(text));
    expect(pieces.length).toBeGreaterThan(summary.cases.length);
    for (const piece of pieces) expect(piece.match(/<testcase /g)?.length ?? 0).toBeLessThanOrEqual(1);
  });

  it('is what the junit reporter writes into the run folder', async () => {
    const details = await collectCaseDetails(journal, detailLimits(summary.cases));
    await createJunitReporter().onRunFinished!({ summary, runDir: dir, details: async () => details });
    expect(readFileSync(path.join(dir, 'junit.xml'), 'utf8')).toBe(renderJunitEager(summary, details, hostname() || 'localhost'));
  });

  it('adds an error testcase when the run did not finish its plan, so a CI test view does not look complete', async () => {
    for (const [incomplete, type, says] of <[RunSummary, string, string][]>[
      [{ ...summary, skipped: { trials: 7, samples: 14, reason: 'the budget (--max-cost $1) would have been passed', trialIds: [], cause: 'budget' } }, 'NOT_SENT', '7 of the run&apos;s trials were not sent: the budget (--max-cost $1) would have been passed'],
      [{ ...summaryOf([]), interrupted: true }, 'INTERRUPTED', 'the run was interrupted (a signal) before it finished'],
    ]) {
      const xml = renderJunit(incomplete, new Map(), 'ci-runner');
      const complete = renderJunit({ ...incomplete, skipped: null, interrupted: false }, new Map(), 'ci-runner');
      const count = (text: string, attribute: string) => Number(new RegExp(`<testsuites [^>]*${attribute}="(\\d+)"`).exec(text)![1]);
      expect(count(xml, 'tests')).toBe(count(complete, 'tests') + 1);
      expect(count(xml, 'errors')).toBe(count(complete, 'errors') + 1);
      expect(xml).toContain(`<testcase name="the run finished its plan" classname="evalgate.run" time="0.000">\n      <error message="${says}`);
      expect(xml).toContain(`type="${type}"`);
      const { jenkins, windyroadWithoutSummary } = await validateJunit(xml);
      expect(jenkins).toEqual([]);
      expect(windyroadWithoutSummary).toEqual([]);
    }
  });
});
