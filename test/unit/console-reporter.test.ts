import { GateSchema } from '../../src/config/config-schema.js';
import { describe, expect, it } from 'vitest';
import { evaluateGate } from '../../src/gate/evaluate-gate.js';
import { createConsoleReporter, renderRunReport } from '../../src/reporters/console-reporter.js';
import { renderGateLines } from '../../src/reporters/render-gate-lines.js';
import { fitToWidth, makePainter, sanitizeForTerminal } from '../../src/reporters/terminal-text.js';
import { compareRuns } from '../../src/gate/judge-comparison.js';
import { RunSummarizer } from '../../src/results/run-summarizer.js';
import type { RunSummary } from '../../src/results/run-summary.js';
import type { SampleRecord } from '../../src/core/sample-record.js';
import { makeErroredRecord, makeRecord } from '../support/builders.js';
import { recommendSettings } from '../../src/results/recommend-settings.js';
import { renderMarkdown } from '../../src/reporters/render-markdown.js';

function summaryOf(records: SampleRecord[], threshold = 0.75): RunSummary {
  const summarizer = new RunSummarizer(() => threshold);
  records.forEach((r) => summarizer.add(r));
  const totals = summarizer.totals();
  const { groups, cases } = summarizer.groupsAndCases();
  return {
    schemaVersion: 1, runId: 'run-1', provider: 'simulator', simulated: true, startedAt: '', finishedAt: '', interrupted: false, plannedTrials: 4, skipped: null, estimate: null, projection: null,
    config: { provider: 'simulator', concurrency: 2, requestTimeoutMs: 1000, retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0, trialDeadlineMs: 1000, budget: 1 }, maxErrorRate: 1,
      suites: [{ name: 's', file: 'evals/s.yaml', threshold }], filter: [], thinkingLevels: null, numberResults: null, apiUrl: null },
    totals, groups, cases, recommendations: [], baseline: null,
    gate: evaluateGate({ groups, totals, maxErrorRate: 1, interrupted: false }),
  };
}

const failure = (message: string) => [{ type: 'regex' as const, pass: false, message }];
const records: SampleRecord[] = [
  makeRecord({ case: 'a', thinkingLevel: 'low', trialId: 'a-low', latencyMs: 100 }),
  makeRecord({ case: 'a', thinkingLevel: 'low', trialId: 'a-low', sampleIndex: 1, pass: false, assertions: failure('expected a match for /yes/, got "no"'), latencyMs: 100 }),
  makeRecord({ case: 'b', thinkingLevel: 'low', trialId: 'b-low', pass: false, assertions: failure('expected a match for /yes/, got "\u001b[31mred\u001b[0m"'), latencyMs: 300 }),
  makeErroredRecord({ case: 'b', thinkingLevel: 'low', trialId: 'b-low', sampleIndex: 1, error: { code: 'RATE_LIMITED', message: 'slow down' } }),
  makeRecord({ case: 'a', thinkingLevel: 'high', trialId: 'a-high', latencyMs: 900, costUsd: 0.02 }),
  makeRecord({ case: 'b', thinkingLevel: 'high', trialId: 'b-high', latencyMs: 1100, costUsd: 0.03 }),
];

describe('the end-of-run report', () => {
  it('renders tables per suite, failing cases, totals, errors and the verdict', () => {
    expect(renderRunReport(summaryOf(records), 'reports/run-1', makePainter(false), 20)).toMatchSnapshot();
  });

  it('recommends nothing, rather than more cases or more effort, for a suite none of whose settings completed a sample', () => {
    const errored = [
      makeErroredRecord({ case: 'a', thinkingLevel: 'low', trialId: 'a-low', error: { code: 'SERVER_ERROR', message: 'HTTP 500' } }),
      makeErroredRecord({ case: 'b', thinkingLevel: 'low', trialId: 'b-low', error: { code: 'SERVER_ERROR', message: 'HTTP 500' } }),
    ];
    const summary = summaryOf(errored);
    summary.recommendations = recommendSettings(summary.groups);
    expect(renderRunReport(summary, 'reports/run-1', makePainter(false), 20)).not.toContain('No setting meets');
    expect(renderMarkdown(summary)).not.toMatch(/^- \*\*s\*\*/m);
    // With a completed sample the line is still there.
    const some = summaryOf([...errored, makeRecord({ case: 'a', thinkingLevel: 'high', trialId: 'a-high', pass: false, assertions: failure('no') })]);
    some.recommendations = recommendSettings(some.groups);
    expect(renderRunReport(some, 'reports/run-1', makePainter(false), 20)).toContain('No setting meets 75% with 95% confidence yet');
  });

  it('says 1 sample and 1 retry in the totals, not 1 samples and 1 retries', () => {
    const text = renderRunReport(summaryOf([makeRecord({ case: 'a', thinkingLevel: 'low', trialId: 'a-low', attempts: 2 })]), 'reports/run-1', makePainter(false), 20);
    expect(text).toMatch(/Totals: 1 sample · 1 passed · 0 failed · 0 errored · 1 retry · /);
  });

  it('reports queue and retry waits apart from latency when there were any', () => {
    const waited = records.map((r, i) => ({ ...r, queueMs: i * 10, backoffMs: i === 0 ? 1500 : 0 }));
    const text = renderRunReport(summaryOf(waited), 'reports/run-1', makePainter(false), 20);
    expect(text).toContain('Waits, not in latency: queue p95 50 ms · backoff 1,500 ms in all (longest 1,500 ms)');
    expect(renderRunReport(summaryOf(records), 'reports/run-1', makePainter(false), 20)).not.toContain('Waits');
  });

  it('never prints escape sequences from model output', () => {
    const text = renderRunReport(summaryOf(records), 'reports/run-1', makePainter(false), 20);
    expect(text).not.toContain('\u001b');
  });

  it('lists consistently failing cases before flaky ones and caps the list', () => {
    const text = renderRunReport(summaryOf(records), 'reports/run-1', makePainter(false), 1);
    expect(text).toContain('Failing cases (1 failing every sample, 1 flaky)');
    expect(text).toContain('s/b · openai-gpt-5-5 · low · n=1 · 0/1 passed');
    expect(text).not.toContain('s/a · openai-gpt-5-5 · low');
    expect(text).toContain('… and 1 more in summary.json');
  });
});

describe('the baseline comparison in the report', () => {
  it('names new and removed cases, at most 10 before "and N more", as reported, not failed', () => {
    const policy = GateSchema.parse({ alpha: 0.05, minDrop: 0.02, maxDrop: null, maxCostIncrease: null, maxLatencyIncrease: null, minLatencyIncreaseMs: 0, caseMinSamples: 2 });
    const baseline = summaryOf([makeRecord({ case: 'kept' }), makeRecord({ case: 'gone', trialId: 'g' })]);
    const current = summaryOf([makeRecord({ case: 'kept' }), ...Array.from({ length: 12 }, (_, i) => makeRecord({ case: `new-${String(i).padStart(2, '0')}`, trialId: `n${i}` }))]);
    const report = renderRunReport({ ...current, baseline: compareRuns({ ...baseline, runId: 'base-9' }, current, policy) }, 'reports/run-1', makePainter(false), 20);
    expect(report).toContain('Against baseline base-9:');
    expect(report).toContain('New cases (12, reported, not failed): s/new-00, s/new-01, s/new-02, s/new-03, s/new-04, s/new-05, s/new-06, s/new-07, s/new-08, s/new-09 and 2 more');
    expect(report).toContain('Removed cases (1, reported, not failed): s/gone');
  });
});

describe('the baseline comparison of settings not gated', () => {
  it('names a setting not gated that got significantly worse, counted in the first line, as never failed', () => {
    const policy = GateSchema.parse({ alpha: 0.05, minDrop: 0.02, maxDrop: null, maxCostIncrease: null, maxLatencyIncrease: null, minLatencyIncreaseMs: 0, caseMinSamples: 2 });
    const side = (lowPass: boolean) =>
      Array.from({ length: 30 }, (_, i) => [
        makeRecord({ case: `c${i}`, thinkingLevel: 'low', pass: lowPass, trialId: `l${i}` }),
        makeRecord({ case: `c${i}`, thinkingLevel: 'medium', pass: true, trialId: `m${i}` }),
      ]).flat();
    const gateOn = (summary: ReturnType<typeof summaryOf>) => ({ ...summary, groups: summary.groups.map((g) => ({ ...g, gated: g.thinkingLevel === 'medium' })) });
    const baseline = gateOn(summaryOf(side(true)));
    const current = gateOn(summaryOf(side(false)));
    const report = renderRunReport({ ...current, baseline: compareRuns({ ...baseline, runId: 'base-9' }, current, policy) }, 'reports/run-1', makePainter(false), 20);
    expect(report).toContain('1 settings significantly worse');
    expect(report).toMatch(/s · openai-gpt-5-5 · low · n=1: 100\.0% → 0\.0% \(p = [\d.e-]+ adjusted, worse; not gated: reported, never failed\)/);
    expect(report).not.toMatch(/medium · n=1: .*not gated/);
  });
});

describe('the report of a streamed run', () => {
  const streamed: SampleRecord[] = [
    makeRecord({ case: 'a', thinkingLevel: 'low', numberResults: 2, trialId: 'a', deliveryMethod: 'stream', timeToFirstTokenMs: 180, timeToFirstTextMs: 420, latencyMs: 900 }),
    makeRecord({ case: 'a', thinkingLevel: 'low', numberResults: 2, trialId: 'a', sampleIndex: 1, deliveryMethod: 'stream', timeToFirstTokenMs: 220, timeToFirstTextMs: 610, latencyMs: 1000 }),
    makeRecord({ case: 'a', thinkingLevel: 'high', numberResults: 1, trialId: 'b', deliveryMethod: 'stream', timeToFirstTokenMs: 250, timeToFirstTextMs: 1900, latencyMs: 2400 }),
  ];

  it('shows the delivery, time to first token and time to first text per setting, and says a stream of N is N tasks', () => {
    const text = renderRunReport(summaryOf(streamed), 'reports/run-1', makePainter(false), 20);
    expect(text).toMatchSnapshot();
    expect(text).toContain('TTFT p50');
    expect(text).toMatch(/stream ×2 .*│\s+180 │\s+220 │\s+420 │/);
    expect(text).toContain('a trial of numberResults N is sent as N tasks of one result each');
    expect(text).toContain('TTFT p50 220 ms');
  });

  it('leaves the stream columns out of a run that did not stream', () => {
    expect(renderRunReport(summaryOf(records), 'reports/run-1', makePainter(false), 20)).not.toContain('TTFT');
  });
});

describe('progress', () => {
  it('prints a plain progress line at most every few seconds in CI', () => {
    let now = 0;
    let out = '';
    const reporter = createConsoleReporter({ write: (t) => void (out += t), isTTY: false, color: false, now: () => now, cwd: '/', plainProgressEveryMs: 5000 });
    reporter.onRunStarted!({ runId: 'r', runDir: '/r', provider: 'simulator', simulated: true, plannedTrials: 3, plannedSamples: 3, recordedTrials: 0, concurrency: 1, suites: [] });
    now = 1000;
    reporter.onTrialFinished!({ records: [records[0]!], inFlight: 2 });
    expect(out).not.toContain('…');
    now = 6000;
    reporter.onTrialFinished!({ records: [records[2]!], inFlight: 1 });
    // Two trials in 6 s: the third is due in about 3 s.
    expect(out).toContain('… 2/3 trials · 1 passed · 1 failed · 0 errored · $0.002 · 1 in flight · 6 s elapsed · ETA 3 s\n');
    expect(out).not.toContain('\r');
  });

  it('plans one trial fewer for each trial a decided setting will not send (--until-decided)', () => {
    let now = 0;
    let out = '';
    const reporter = createConsoleReporter({ write: (t) => void (out += t), isTTY: false, color: false, now: () => now, cwd: '/', plainProgressEveryMs: 5000 });
    reporter.onRunStarted!({ runId: 'r', runDir: '/r', provider: 'simulator', simulated: true, plannedTrials: 10, plannedSamples: 10, recordedTrials: 0, concurrency: 1, suites: [] });
    now = 1000;
    reporter.onTrialFinished!({ records: [records[0]!], inFlight: 0 });
    for (let i = 0; i < 7; i++) reporter.onTrialDecided!();
    now = 6000;
    reporter.onTrialFinished!({ records: [records[0]!], inFlight: 0 });
    expect(out).toContain('… 2/3 trials');
  });

  it('prints no progress when asked to be quiet, but still the report', async () => {
    let now = 0;
    let out = '';
    const reporter = createConsoleReporter({ write: (t) => void (out += t), isTTY: true, color: false, now: () => now, cwd: '/', showProgress: false });
    reporter.onRunStarted!({ runId: 'r', runDir: '/r', provider: 'runware', simulated: false, plannedTrials: 2, plannedSamples: 2, recordedTrials: 0, concurrency: 1, suites: [] });
    now = 10_000;
    reporter.onTrialFinished!({ records: [records[0]!], inFlight: 1 });
    expect(out).not.toContain('1/2 trials');
    await reporter.onRunFinished!({ summary: summaryOf(records.slice(0, 1)), runDir: '/r', details: async () => new Map() });
    expect(out).toContain('Gate:');
  });

  it('redraws one status line on a terminal and clears it before the report', async () => {
    let now = 0;
    let out = '';
    const reporter = createConsoleReporter({ write: (t) => void (out += t), isTTY: true, color: false, now: () => now, cwd: '/' });
    reporter.onRunStarted!({ runId: 'r', runDir: '/r', provider: 'runware', simulated: false, plannedTrials: 2, plannedSamples: 2, recordedTrials: 0, concurrency: 1, suites: [] });
    now = 500;
    reporter.onTrialFinished!({ records: [records[0]!], inFlight: 1 });
    expect(out).toContain('\r\u001b[2K1/2 trials');
    await reporter.onRunFinished!({ summary: summaryOf(records.slice(0, 1)), runDir: '/r', details: async () => new Map() });
    expect(out.indexOf('\r\u001b[2K', out.indexOf('1/2 trials'))).toBeGreaterThan(0);
  });
});

describe('the status line on a terminal', () => {
  const started = { runId: 'r', runDir: '/r', provider: 'runware', simulated: false, plannedTrials: 1000, plannedSamples: 1000, recordedTrials: 0, concurrency: 8, suites: [] };
  /** A terminal of `columns` with an injected clock and a periodic redraw driven by hand. */
  function terminal(columns: number | undefined, color = false) {
    const clock = { now: 0 };
    const writes: string[] = [];
    const ticker = { tick: undefined as (() => void) | undefined, periodMs: 0, stopped: false };
    const reporter = createConsoleReporter({
      write: (t) => void writes.push(t),
      isTTY: true,
      color,
      now: () => clock.now,
      cwd: '/',
      columns: () => columns,
      every: (ms, tick) => {
        ticker.tick = tick;
        ticker.periodMs = ms;
        return () => void (ticker.stopped = true);
      },
    });
    reporter.onRunStarted!(started);
    writes.length = 0;
    const redraws = () => writes.filter((w) => w.startsWith('\r\u001b[2K') && w.length > 4);
    return { clock, writes, ticker, reporter, redraws };
  }

  it('redraws once for many trials finishing within 100 ms', () => {
    const t = terminal(200);
    t.clock.now = 150;
    for (let i = 0; i < 50; i++) {
      t.reporter.onTrialFinished!({ records: [records[0]!], inFlight: 8 });
      t.clock.now += 1;
    }
    expect(t.redraws()).toHaveLength(1);
    expect(t.redraws()[0]).toContain('1/1,000 trials');
    t.clock.now = 260;
    t.reporter.onTrialFinished!({ records: [records[0]!], inFlight: 8 });
    expect(t.redraws()).toHaveLength(2);
    expect(t.redraws()[1]).toContain('51/1,000 trials');
  });

  it('cuts the line to one column short of the terminal width, so a redraw never wraps', () => {
    const t = terminal(80);
    t.clock.now = 5000;
    for (let i = 0; i < 2; i++) t.reporter.onTrialFinished!({ records: [records[0]!], inFlight: 8 });
    const line = t.redraws()[0]!.slice('\r\u001b[2K'.length);
    expect(line).toHaveLength(79);
    expect(line.endsWith('…')).toBe(true);
    expect(line.startsWith('1/1,000 trials · 1 passed')).toBe(true);
    // Without a known width the line is drawn whole, and it is longer than 80 columns.
    const uncut = terminal(undefined);
    uncut.clock.now = 5000;
    for (let i = 0; i < 2; i++) uncut.reporter.onTrialFinished!({ records: [records[0]!], inFlight: 8 });
    expect(uncut.redraws()[0]!.length - '\r\u001b[2K'.length).toBeGreaterThan(80);
  });

  it('cuts a coloured line by its visible characters and still closes the style', () => {
    const t = terminal(40, true);
    t.clock.now = 5000;
    t.reporter.onTrialFinished!({ records: [records[0]!], inFlight: 8 });
    const line = t.redraws()[0]!.slice('\r\u001b[2K'.length);
    expect(line.startsWith('\u001b[2m')).toBe(true);
    expect(line.endsWith('…\u001b[22m')).toBe(true);
    expect(sanitizeForTerminal(line)).toHaveLength(39);
  });

  it('redraws every second while no trial finishes, so elapsed time and ETA move, and stops at the end', async () => {
    const t = terminal(200);
    expect(t.ticker.periodMs).toBe(1000);
    t.clock.now = 1000;
    t.reporter.onTrialFinished!({ records: [records[0]!], inFlight: 8 });
    t.reporter.onTrialFinished!({ records: [records[0]!], inFlight: 8 });
    const before = t.redraws().length;
    t.clock.now = 61_000;
    t.ticker.tick!();
    expect(t.redraws()).toHaveLength(before + 1);
    expect(t.redraws().at(-1)).toContain('2/1,000 trials · 2 passed · 0 failed · 0 errored · $0.002 · 8 in flight · 61 s elapsed · ETA 507 min');
    expect(t.ticker.stopped).toBe(false);
    await t.reporter.onRunFinished!({ summary: summaryOf(records.slice(0, 1)), runDir: '/r', details: async () => new Map() });
    expect(t.ticker.stopped).toBe(true);
  });

  it('stops redrawing when the run fails after it started', () => {
    const t = terminal(200);
    t.reporter.onRunFailed!();
    expect(t.ticker.stopped).toBe(true);
  });
});

describe('fitToWidth', () => {
  it('leaves a line that fits alone and cuts one that does not, ending in …', () => {
    expect(fitToWidth('abcdef', 6)).toBe('abcdef');
    expect(fitToWidth('abcdefgh', 6)).toBe('abcde…');
  });

  it('counts no room for escape sequences and keeps every one of them', () => {
    const painted = '\u001b[2mab\u001b[31mcdefgh\u001b[39m\u001b[22m';
    expect(fitToWidth(painted, 8)).toBe(painted);
    expect(fitToWidth(painted, 4)).toBe('\u001b[2mab\u001b[31mc…\u001b[39m\u001b[22m');
  });
});

describe('sanitizeForTerminal', () => {
  it('removes escape sequences and shows other control characters as �', () => {
    expect(sanitizeForTerminal('a\u001b[2Jb\u001b]0;title\u0007c\u0000d')).toBe('abc\uFFFDd');
    expect(sanitizeForTerminal('line\nnext\ttab', { singleLine: true })).toBe('line next tab');
  });
});

describe('the end-of-run report on an 80-column terminal', () => {
  const wide: SampleRecord[] = [
    ...['low', 'medium', 'high'].flatMap((level) => [
      makeRecord({ suite: 's', case: 'a-case-with-a-rather-long-id', model: 'deepseek-v4-flash-long-name', thinkingLevel: level as 'low', trialId: `a-${level}`, deliveryMethod: 'stream', timeToFirstTokenMs: 220, timeToFirstTextMs: 610, costUsd: 0.0000155, latencyMs: 1234 }),
      makeRecord({ suite: 's', case: 'b', model: 'deepseek-v4-flash-long-name', thinkingLevel: level as 'low', trialId: `b-${level}`, pass: false, assertions: failure(`expected a match for /yes/, got "${'no '.repeat(80)}"`), deliveryMethod: 'stream', timeToFirstTokenMs: 300, timeToFirstTextMs: 700, latencyMs: 2345 }),
    ]),
  ];
  const visible = (line: string) => [...line].length;

  it('fits every table row and failure line in 80 columns, keeping the pass rate and its interval, and says what it left out', () => {
    const full = renderRunReport(summaryOf(wide), 'reports/run-1', makePainter(false), 20);
    expect(Math.max(...full.split('\n').map(visible))).toBeGreaterThan(120);

    const narrow = renderRunReport(summaryOf(wide), 'reports/run-1', makePainter(false), 20, 80);
    const tableAndFailures = narrow.split('\n').filter((l) => /^[┌│├└]|^ {2}✗/.test(l));
    expect(tableAndFailures.length).toBeGreaterThan(6);
    for (const line of tableAndFailures) expect(visible(line), line).toBeLessThanOrEqual(80);
    const head = narrow.split('\n').find((l) => l.includes('pass rate'))!;
    expect(head).toContain('95% CI');
    expect(head).toContain('level');
    expect(head).not.toContain('TTFT p50');
    expect(narrow).toMatch(/Narrow terminal: .*TTFT p50.* left out; summary\.md and report\.html have every column\./);
    expect(narrow).toContain('  ✗ s/b · low n=1 · 0/1\n      regex: expected a match for /yes/, got "no no');
    expect(narrow.split('\n').find((l) => l.startsWith('      regex:'))!.endsWith('…')).toBe(true);
    expect(narrow).not.toContain('stream ×N: Runware streams');
  });

  it('keeps coloured cells intact when it measures them', () => {
    const narrow = renderRunReport(summaryOf(wide), 'reports/run-1', makePainter(true), 20, 80);
    // eslint-disable-next-line no-control-regex
    const rows = narrow.split('\n').map((l) => l.replace(/\u001b\[[0-9;]*m/g, '')).filter((l) => l.startsWith('│'));
    for (const row of rows) expect(visible(row)).toBeLessThanOrEqual(80);
  });
});

describe('the gate lines', () => {
  it('name at most 10 cases that flipped, then say how many more, keeping every other notice', () => {
    const base = summaryOf(records);
    const flip = (i: number) => ({ code: 'CASE_REGRESSION' as const, message: `s/c${i} · openai-gpt-5-5 · low · n=3: passed 3/3 in the baseline, 0/3 now` });
    const power = { code: 'UNDERPOWERED' as const, message: 'this comparison detects a drop of 13 points or more' };
    const summary = { ...base, gate: { ...base.gate, notices: [power, ...Array.from({ length: 53 }, (_, i) => flip(i))] } };
    const text = renderGateLines(summary, makePainter(false)).join('\n');
    expect(text).toContain('this comparison detects a drop of 13 points');
    expect(text).toContain('s/c9 ·');
    expect(text).not.toContain('s/c10 ·');
    expect(text).toContain('… and 43 more cases that passed every sample in the baseline and fail every one now (summary.json gate.notices)');
    expect(renderGateLines({ ...base, gate: { ...base.gate, notices: [flip(1)] } }, makePainter(false)).join('\n')).not.toContain('more cases');
  });
});
