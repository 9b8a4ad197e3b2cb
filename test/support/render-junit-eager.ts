// The junit.xml renderer as it was before it was streamed (git show ba87aba:src/reporters/render-junit.ts), kept
// as the reference the streamed one must equal byte for byte (test/unit/junit-streamed.test.ts).
import type { CaseDetails } from '../../src/results/collect-case-details.js';
import type { RunSummary } from '../../src/results/run-summary.js';
import type { CaseSummary } from '../../src/results/group-summary.js';
import { PLACEHOLDER_WARNING } from '../../src/reporters/placeholder-note.js';
import { sequentialFacts, type SequentialFacts } from '../../src/reporters/sequential-facts.js';
import { escapeXml } from '../../src/reporters/xml-text.js';
import { settingLabel, caseKey } from '../../src/core/setting.js';

const MAX_BODY_CHARS = 8000;

/**
 * junit.xml in the Ant/Jenkins form that Jenkins, GitLab, GitHub test reporters and most CI tools
 * read: a testsuite per suite, a testcase per case × setting. A case with a failed sample is a
 * failure (its failed assertions' messages inside), one whose samples all errored is an error.
 * Untrusted text is stripped of characters XML cannot hold and escaped.
 */
export function renderJunitEager(summary: RunSummary, details: CaseDetails, hostname: string): string {
  const timestamp = summary.startedAt.slice(0, 19);
  const bySuite = new Map<string, CaseSummary[]>();
  for (const c of summary.cases) {
    const list = bySuite.get(c.suite);
    if (list) list.push(c);
    else bySuite.set(c.suite, [c]);
  }
  const sequential = summary.sequential ? sequentialFacts(summary.sequential) : null;
  const totals = { tests: 0, failures: 0, errors: 0, time: 0 };
  const suites = [...bySuite].map(([suite, cases], id) => {
    let failures = 0;
    let errors = 0;
    let suiteTime = 0;
    const testcases = cases.map((c) => {
      const detail = details.get(caseKey(c));
      const completed = c.passed + c.failed;
      const time = (detail?.totalLatencyMs ?? 0) / Math.max(1, completed) / 1000;
      suiteTime += time;
      const name = escapeXml(`${c.case} · ${settingLabel(c)}`);
      const classname = escapeXml(`${suite}.${c.model}.${c.thinkingLevel}.n${c.numberResults}`);
      const open = `    <testcase name="${name}" classname="${classname}" time="${time.toFixed(3)}"`;
      if (c.failed > 0) {
        failures++;
        const headline = `${c.failed} of ${completed} completed samples failed${c.flaky ? ' (flaky)' : ''}: ${c.firstFailure?.type ?? 'assertion'}: ${c.firstFailure?.message ?? ''}`;
        const body = (detail?.failures ?? []).map((f) => `${f.type}: ${f.message}`).join('\n');
        return `${open}>\n      <failure message="${escapeXml(headline.slice(0, 500))}" type="${escapeXml(c.firstFailure?.type ?? 'assertion')}">${escapeXml(body.slice(0, MAX_BODY_CHARS))}</failure>\n    </testcase>`;
      }
      if (completed === 0 && c.errored > 0) {
        errors++;
        const first = detail?.errors[0];
        const body = (detail?.errors ?? []).map((e) => `${e.code}: ${e.message}`).join('\n');
        return `${open}>\n      <error message="${escapeXml(`${c.errored} samples errored: ${first ? `${first.code}: ${first.message}` : ''}`.slice(0, 500))}" type="${escapeXml(first?.code ?? 'ERROR')}">${escapeXml(body.slice(0, MAX_BODY_CHARS))}</error>\n    </testcase>`;
      }
      return `${open}/>`;
    });
    totals.tests += cases.length;
    totals.failures += failures;
    totals.errors += errors;
    totals.time += suiteTime;
    const properties = [
      ['provider', summary.provider],
      ['simulated', String(summary.simulated)],
      ...((summary.config.placeholderSuites ?? []).includes(suite) ? [['placeholderAnswers', PLACEHOLDER_WARNING]] : []),
      ['runId', summary.runId],
      ['gate', summary.gate.passed ? 'passed' : `failed (exit ${summary.gate.exitCode})`],
      ...(sequential ? sequentialProperties(sequential, suite) : []),
    ]
      .map(([k, v]) => `      <property name="${escapeXml(k!)}" value="${escapeXml(v!)}"/>`)
      .join('\n');
    const reasons = summary.gate.reasons.filter((r) => r.suite === undefined || r.suite === suite).map((r) => r.message).join('\n');
    return [
      `  <testsuite name="${escapeXml(suite)}" package="${escapeXml(suite)}" id="${id}" timestamp="${timestamp}" hostname="${escapeXml(hostname)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="0" time="${suiteTime.toFixed(3)}">`,
      `    <properties>\n${properties}\n    </properties>`,
      ...testcases,
      `    <system-out>${escapeXml(reasons)}</system-out>`,
      '    <system-err></system-err>',
      '  </testsuite>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="evalgate" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" time="${totals.time.toFixed(3)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

/**
 * With `--until-decided`, a suite's properties say how its settings were sampled: one per setting
 * (`untilDecided.<model>.<level>.n<N>`: verdict, when and on what e-value it was decided, what stopping
 * saved) and the run's totals (`untilDecided`).
 */
function sequentialProperties(facts: SequentialFacts, suite: string): string[][] {
  const settings = facts.settings.filter((s) => s.suite === suite);
  if (settings.length === 0) return [];
  return [
    ['untilDecided', `${facts.totals}; ${facts.about}`],
    ...settings.map((s) => [
      `untilDecided.${s.model}.${s.thinkingLevel}.n${s.numberResults}`,
      `${s.verdictText}: ${s.threshold}${s.regression ? `; ${s.regression}` : ''}; saved ${s.saved}`,
    ]),
  ];
}
