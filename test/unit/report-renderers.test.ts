import { GateSchema } from '../../src/config/config-schema.js';
import { describe, expect, it } from 'vitest';
import { type CaseDetail } from '../../src/results/collect-case-details.js';
import { RunSummarizer } from '../../src/results/run-summarizer.js';
import type { SampleRecord } from '../../src/core/sample-record.js';
import { buildRunSummary, type BaselineCheck } from '../../src/run/finish-run.js';
import { renderJunit } from '../../src/reporters/render-junit.js';
import { cell, renderMarkdown } from '../../src/reporters/render-markdown.js';
import { escapeXml } from '../../src/reporters/xml-text.js';
import { makeErroredRecord, makeRecord } from '../support/builders.js';
import { TESTSUITES_SUMMARY_ATTRIBUTES, validateJunit } from '../support/junit-schemas.js';
import { caseKey } from '../../src/core/setting.js';

const HOSTILE = 'bad "quotes" & <tags> \u001b[31mred\u001b[0m \u0000\u0007 ]]> </failure> \ud800';

const POLICY = GateSchema.parse({ alpha: 0.05, minDrop: 0.02, maxDrop: null, maxCostIncrease: null, maxLatencyIncrease: null, minLatencyIncreaseMs: 0, caseMinSamples: 2 });

function summaryOf(records: SampleRecord[], baseline?: BaselineCheck) {
  const summarizer = new RunSummarizer(() => 0.75);
  records.forEach((r) => summarizer.add(r));
  return buildRunSummary(summarizer, {
    runId: 'r1', provider: 'simulator', simulated: true, startedAt: new Date('2026-11-27T10:00:00.123Z'), finishedAt: new Date('2026-11-27T10:01:00Z'),
    interrupted: false, plannedTrials: records.length, skipped: null, estimate: null, projection: null,
    config: { provider: 'simulator', concurrency: 1, requestTimeoutMs: 1, retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0, trialDeadlineMs: 1, budget: 1 }, maxErrorRate: 1, suites: [{ name: 's', file: 's.yaml', threshold: 0.75 }, { name: 't', file: 't.yaml', threshold: 0.75 }], filter: [], thinkingLevels: null, numberResults: null, apiUrl: null },
  }, baseline);
}

const fail = (message: string) => [{ type: 'regex' as const, pass: false, message }];
const records: SampleRecord[] = [
  makeRecord({ case: 'ok', trialId: 'a' }),
  makeRecord({ case: 'broken', trialId: 'b', pass: false, assertions: fail(`expected a match, got "${HOSTILE}"`) }),
  makeErroredRecord({ case: 'down', trialId: 'c', error: { code: 'SERVICE_UNAVAILABLE', message: `503 ${HOSTILE}` } }),
  makeRecord({ suite: 't', case: 'other', trialId: 'd' }),
];
const details = new Map<string, CaseDetail>([
  [caseKey({ suite: 's', case: 'broken', model: 'openai-gpt-5-5', thinkingLevel: 'low', numberResults: 1 }), { failures: fail(HOSTILE), errors: [], samples: [], totalLatencyMs: 250 }],
  [caseKey({ suite: 's', case: 'down', model: 'openai-gpt-5-5', thinkingLevel: 'low', numberResults: 1 }), { failures: [], errors: [{ code: 'SERVICE_UNAVAILABLE', message: HOSTILE }], samples: [], totalLatencyMs: 0 }],
]);

describe('junit.xml', () => {
  const xml = renderJunit(summaryOf(records), details, 'ci-runner');

  it("is valid against Jenkins xUnit's published junit-10.xsd, and Windy Road's JUnit.xsd but for <testsuites>' summary attributes", async () => {
    const { jenkins, windyroad, windyroadWithoutSummary } = await validateJunit(xml);
    expect(jenkins).toEqual([]);
    expect(windyroadWithoutSummary).toEqual([]);
    // Kept on purpose (GitLab and Jenkins read them; docs/reports.md): exactly these, and nothing else, break Windy Road's schema.
    expect(windyroad).toEqual(TESTSUITES_SUMMARY_ATTRIBUTES.map((name) => expect.stringContaining(`Element 'testsuites', attribute '${name}': The attribute '${name}' is not allowed.`)));
  });

  it('has a testsuite per suite and a testcase per case × setting: failures, errors and passes', () => {
    expect(xml.match(/<testsuite /g)).toHaveLength(2);
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(xml).toContain('<testsuite name="s" package="s" id="0" timestamp="2026-11-27T10:00:00" hostname="ci-runner" tests="3" failures="1" errors="1"');
    expect(xml).toMatch(/<testcase name="broken · openai-gpt-5-5 · low · n=1"[^>]*>\s*<failure message="1 of 1 completed samples failed: regex: expected a match/);
    expect(xml).toMatch(/<testcase name="down[^>]*>\s*<error message="1 samples errored: SERVICE_UNAVAILABLE: bad/);
    expect(xml).toMatch(/<testcase name="ok · openai-gpt-5-5 · low · n=1" classname="s\.openai-gpt-5-5\.low\.n1" time="[\d.]+"\/>/);
  });

  it('escapes markup and strips what XML cannot hold from untrusted text', () => {
    expect(xml).not.toContain('<tags>');
    expect(xml).toContain('&lt;tags&gt;');
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800]/);
    expect(escapeXml(HOSTILE)).toBe('bad &quot;quotes&quot; &amp; &lt;tags&gt; red  ]]&gt; &lt;/failure&gt; ');
  });
});

describe('summary.md', () => {
  it('puts the verdict first, then the settings, the failures and the flaky cases', () => {
    const md = renderMarkdown(summaryOf(records));
    expect(md.split('\n')[0]).toBe('## ❌ evalgate: gate failed (exit 1)');
    const order = ['### Settings', '### Failing cases', '### Cases with no answer'].map((h) => md.indexOf(h));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
    expect(md).toContain('| s | openai-gpt-5-5 | low | 1 | 50.0% |');
  });

  it('counts the gated settings below their threshold out of the gated ones, never out of every setting', () => {
    const all = summaryOf(records);
    const ungatedHigh = { ...all, groups: [...all.groups.map((g) => ({ ...g, gated: true })), { ...all.groups[0]!, thinkingLevel: 'high' as const, gated: false }] };
    // The summary said "1 of 3 settings below threshold" while settings not gated sat below it too.
    expect(renderMarkdown(ungatedHigh)).toMatch(/\*\*\d+ of \d+ gated settings \(of \d+\) below threshold\*\*/);
    expect(renderMarkdown(all)).toMatch(/\*\*\d+ of \d+ settings below threshold\*\*/);
  });

  it("cuts a failed assertion's message once: the assertion's own excerpt is shown whole, not cut again", async () => {
    const { quoteText, sanitizeDetail } = await import('../../src/assertions/assertion.js');
    const message = `not valid against fixtures/schemas/invoice.schema.json: ${sanitizeDetail(`/lines/0/sku must match "${'x'.repeat(300)}"`)}, got ${quoteText('y'.repeat(500))}`;
    const md = renderMarkdown(summaryOf([makeRecord({ case: 'long', trialId: 'l', pass: false, assertions: fail(message) })]));
    const row = md.split('\n').find((l) => l.startsWith('| s/long |'))!;
    expect(row).toContain(cell(message, Infinity));
    expect(row.match(/…/g)).toHaveLength(2);
  });

  it('stays readable at 200 cases: 25 failing cases in the open, the rest folded', () => {
    const many: SampleRecord[] = [];
    for (let i = 0; i < 200; i++) {
      many.push(makeRecord({ case: `case-${String(i).padStart(3, '0')}`, trialId: `t${i}`, pass: i % 3 === 0, assertions: i % 3 === 0 ? [] : fail('nope') }));
    }
    for (let i = 0; i < 30; i++) many.push(makeRecord({ case: `case-${String(i).padStart(3, '0')}`, trialId: `u${i}`, repeat: 1, pass: true }));
    const md = renderMarkdown(summaryOf(many));
    const failing = md.slice(md.indexOf('### Failing cases'), md.indexOf('### Flaky cases'));
    expect(failing.indexOf('<details>')).toBeGreaterThan(0);
    expect(failing.slice(0, failing.indexOf('<details>')).match(/^\| s\/case-/gm)).toHaveLength(25);
    expect(md.slice(md.indexOf('### Flaky cases'))).toMatch(/<details><summary>Show \d+ flaky cases<\/summary>/);
    expect(md.split('\n').length).toBeLessThan(400);
  });

  it('names new and removed cases in the baseline comparison, capped at 20 with "and N more"', () => {
    const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => makeRecord({ case: `${prefix}-${String(i).padStart(2, '0')}`, trialId: `${prefix}${i}` }));
    const baseline = summaryOf([...ids('kept', 3), ...ids('gone', 2)]);
    const md = renderMarkdown(summaryOf([...ids('kept', 3), ...ids('new_', 23)], { summary: baseline, policy: POLICY }));
    const section = md.slice(md.indexOf('### Against baseline'));
    expect(section).toContain('New cases (23): s/new\\_-00, s/new\\_-01,');
    expect(section).toContain('s/new\\_-19 and 3 more · Removed cases (2): s/gone-00, s/gone-01 (reported, not failed)');
    expect(section).not.toContain('new\\_-20');
    expect(md.split('\n')[0]).toBe('## ✅ evalgate: gate passed (exit 0)');
  });

  it('shows a better setting\'s p for the rise, the one its verdict rests on', () => {
    const cases = (passes: (i: number) => boolean) => Array.from({ length: 30 }, (_, i) => makeRecord({ case: `c${i}`, trialId: `t${i}`, pass: passes(i) }));
    const md = renderMarkdown(summaryOf(cases((i) => i < 10), { summary: summaryOf(cases(() => false)), policy: POLICY }));
    // McNemar: 10 cases flipped to passing, none back: p = 2^-10.
    expect(md).toMatch(/\| yes \| 0\.0% \| 33\.3% \| 0\.00098 \| mcnemar-exact \| ≥ \d+% \| ✅ better \|/);
  });

  it('folds per suite a settings-in-detail table: latency tail, tokens by kind, pass@k, waits and total cost', () => {
    const md = renderMarkdown(summaryOf([
      makeRecord({ case: 'x', trialId: 'x', numberResults: 2, latencyMs: 100, queueMs: 7, backoffMs: 250, attempts: 2, usage: { promptTokens: 11, completionTokens: 6, thinkingTokens: 30, totalTokens: 47 } }),
      makeRecord({ case: 'x', trialId: 'x', numberResults: 2, sampleIndex: 1, latencyMs: 900, pass: false, assertions: fail('nope'), usage: { promptTokens: 11, completionTokens: 7, thinkingTokens: 40, totalTokens: 58 } }),
    ]));
    const details = md.slice(md.indexOf('<details><summary>Settings in detail: s</summary>'));
    expect(details.slice(0, details.indexOf('</details>'))).toContain(
      '| setting | p50 ms | p90 ms | p95 ms | p99 ms | max ms | prompt tok | completion tok | thinking tok | pass@k | pass^k | queue p95 ms | retries | backoff ms | cost |\n' +
        '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n' +
        '| openai-gpt-5-5 · low · n=2 | 100 | 900 | 900 | 900 | 900 | 22 | 13 | 70 | 100.0% (k=2) | 0.0% (k=2) | 7 | 1 | 250 | $0.002 |\n',
    );
    // The main table stays narrow: the tail is only in the fold.
    expect(md.slice(md.indexOf('### Settings'), md.indexOf('<details>'))).not.toContain('p99');
    expect(md).not.toContain('TTFT');
  });

  it('shows delivery and time to first token and text only when a group streamed', () => {
    const streamed = { deliveryMethod: 'stream' as const, numberResults: 2 };
    const md = renderMarkdown(summaryOf([
      makeRecord({ case: 'x', trialId: 'x', ...streamed, timeToFirstTokenMs: 40, timeToFirstTextMs: 90 }),
      makeRecord({ case: 'x', trialId: 'x', ...streamed, sampleIndex: 1, timeToFirstTokenMs: 60, timeToFirstTextMs: 120 }),
      makeRecord({ case: 'y', trialId: 'y' }),
    ]));
    expect(md).toContain('| cost | delivery | TTFT p50 | TTFT p95 | text p50 |');
    expect(md).toMatch(/\| openai-gpt-5-5 · low · n=2 \|.*\| stream ×2 \| 40 \| 60 \| 90 \|\n/);
    expect(md).toMatch(/\| openai-gpt-5-5 · low · n=1 \|.*\| sync \| — \| — \| — \|\n/);
    expect(md).toContain('stream ×N: Runware streams one result per task');
  });

  it('escapes model output so it cannot break the table or inject HTML', () => {
    expect(cell('a | b <script>x</script> *bold* `code`\nnext')).toBe('a \\| b &lt;script&gt;x&lt;/script&gt; \\*bold\\* \\`code\\` next');
  });

  it('keeps model output from mentioning anyone in a pull-request comment (@user, @org/team), and leaves an e-mail address alone', () => {
    const text = cell('ping @octocat and @acme/reviewers, mail bob@corp.io');
    expect(text).not.toMatch(/(^|[^\w])@[A-Za-z0-9]/);
    expect(text).toBe('ping @&#8203;octocat and @&#8203;acme/reviewers, mail bob@corp.io');
  });
});

describe('report.html data', () => {
  it('lists the cases whose judge verdicts split, per suite, beside the failing and flaky ones', async () => {
    const { buildReportData } = await import('../../src/reporters/html/report-data.js');
    const summary = summaryOf([makeRecord({ case: 'sure' }), makeRecord({ case: 'split', trialId: 't2' })]);
    const cases = summary.cases.map((c) => (c.case === 'split' ? { ...c, judgeUnsure: 1 } : c));
    const data = buildReportData({ ...summary, cases }, new Map());
    const listed = data.suiteDetails[0]!.judgeUnsure;
    expect(listed.cases.map((l) => data.cases.at(l.index)!.case)).toEqual(['split']);
    expect(listed.more).toBe(0);
  });
});
