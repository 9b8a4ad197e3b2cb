import type { CaseDetail, CaseDetails } from '../results/collect-case-details.js';
import type { RunSummary } from '../results/run-summary.js';
import type { CaseSummary } from '../results/group-summary.js';
import { PLACEHOLDER_WARNING } from './placeholder-note.js';
import { sequentialFacts, type SequentialFacts } from './sequential-facts.js';
import { escapeXml } from './xml-text.js';
import { settingLabel, caseKey } from '../core/setting.js';

const MAX_BODY_CHARS = 8000;

/**
 * junit.xml in the Ant/Jenkins form that Jenkins, GitLab, GitHub test reporters and most CI tools
 * read: a testsuite per suite, a testcase per case × setting. A case with a failed sample is a
 * failure (its failed assertions' messages inside), one whose samples all errored is an error.
 * Untrusted text is stripped of characters XML cannot hold and escaped.
 */
export function renderJunit(summary: RunSummary, details: CaseDetails, hostname: string): string {
  let xml = '';
  emitJunit(summary, details, hostname, (text) => (xml += text));
  return xml;
}

/**
 * junit.xml piece by piece, as {@link renderJunit} returns it whole: a testcase at a time into `emit`,
 * so that 25,000 testcases are never one string, nor an array of them (writeStreamedFile). The counts
 * each suite's element opens with are taken in a first pass over its cases.
 */
export function emitJunit(summary: RunSummary, details: CaseDetails, hostname: string, emit: (text: string) => void): void {
  const timestamp = summary.startedAt.slice(0, 19);
  const bySuite = new Map<string, CaseSummary[]>();
  for (const c of summary.cases) {
    const list = bySuite.get(c.suite);
    if (list) list.push(c);
    else bySuite.set(c.suite, [c]);
  }
  const sequential = summary.sequential ? sequentialFacts(summary.sequential) : null;
  const counted = [...bySuite].map(([suite, cases]) => ({ suite, cases, ...countSuite(cases, details) }));
  const totals = { tests: 0, failures: 0, errors: 0, time: 0 };
  for (const { cases, failures, errors, time } of counted) {
    totals.tests += cases.length;
    totals.failures += failures;
    totals.errors += errors;
    totals.time += time;
  }
  const unfinished = incompleteRun(summary);
  if (unfinished) {
    totals.tests++;
    totals.errors++;
  }
  emit(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="evalgate" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" time="${totals.time.toFixed(3)}">`);
  counted.forEach(({ suite, cases, failures, errors, time: suiteTime }, id) => {
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
    emit(
      `\n  <testsuite name="${escapeXml(suite)}" package="${escapeXml(suite)}" id="${id}" timestamp="${timestamp}" hostname="${escapeXml(hostname)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="0" time="${suiteTime.toFixed(3)}">` +
        `\n    <properties>\n${properties}\n    </properties>`,
    );
    for (const c of cases) emit(`\n${testcase(suite, c, details.get(caseKey(c)))}`);
    emit(`\n    <system-out>${escapeXml(reasons)}</system-out>\n    <system-err></system-err>\n  </testsuite>`);
  });
  if (unfinished) {
    emit(
      `\n  <testsuite name="evalgate" package="evalgate" id="${counted.length}" timestamp="${timestamp}" hostname="${escapeXml(hostname)}" tests="1" failures="0" errors="1" skipped="0" time="0.000">` +
        `\n    <properties>\n      <property name="runId" value="${escapeXml(summary.runId)}"/>\n    </properties>` +
        `\n    <testcase name="the run finished its plan" classname="evalgate.run" time="0.000">` +
        `\n      <error message="${escapeXml(unfinished.slice(0, 500))}" type="${summary.interrupted ? 'INTERRUPTED' : 'NOT_SENT'}">${escapeXml(unfinished)}</error>` +
        `\n    </testcase>\n    <system-out></system-out>\n    <system-err></system-err>\n  </testsuite>`,
    );
  }
  emit('\n</testsuites>\n');
}

/**
 * Why the run did not send every trial it planned (interrupted, stopped by the budget, refused by the
 * API), in words; undefined when it did. A CI test view then shows an error where it would otherwise
 * show only the trials that ran, or nothing at all, while the job exits 3 or 130.
 */
function incompleteRun(summary: RunSummary): string | undefined {
  if (summary.skipped) return `${summary.skipped.trials} of the run's trials were not sent: ${summary.skipped.reason}`;
  if (summary.interrupted) return 'the run was interrupted (a signal) before it finished: its results cover only the trials that landed before then';
  return undefined;
}

/** A case's time in seconds: the mean latency of its completed samples. */
function caseTime(c: CaseSummary, detail: CaseDetail | undefined): number {
  return (detail?.totalLatencyMs ?? 0) / Math.max(1, c.passed + c.failed) / 1000;
}

/** A suite's failures, errors and time (its cases' times added in order), for its element's attributes. */
function countSuite(cases: readonly CaseSummary[], details: CaseDetails): { failures: number; errors: number; time: number } {
  let failures = 0;
  let errors = 0;
  let time = 0;
  for (const c of cases) {
    time += caseTime(c, details.get(caseKey(c)));
    if (c.failed > 0) failures++;
    else if (c.passed + c.failed === 0 && c.errored > 0) errors++;
  }
  return { failures, errors, time };
}

function testcase(suite: string, c: CaseSummary, detail: CaseDetail | undefined): string {
  const completed = c.passed + c.failed;
  const time = caseTime(c, detail);
  const name = escapeXml(`${c.case} · ${settingLabel(c)}`);
  const classname = escapeXml(`${suite}.${c.model}.${c.thinkingLevel}.n${c.numberResults}`);
  const open = `    <testcase name="${name}" classname="${classname}" time="${time.toFixed(3)}"`;
  if (c.failed > 0) {
    const headline = `${c.failed} of ${completed} completed samples failed${c.flaky ? ' (flaky)' : ''}: ${c.firstFailure?.type ?? 'assertion'}: ${c.firstFailure?.message ?? ''}`;
    const body = (detail?.failures ?? []).map((f) => `${f.type}: ${f.message}`).join('\n');
    return `${open}>\n      <failure message="${escapeXml(headline.slice(0, 500))}" type="${escapeXml(c.firstFailure?.type ?? 'assertion')}">${escapeXml(body.slice(0, MAX_BODY_CHARS))}</failure>\n    </testcase>`;
  }
  if (completed === 0 && c.errored > 0) {
    const first = detail?.errors[0];
    const body = (detail?.errors ?? []).map((e) => `${e.code}: ${e.message}`).join('\n');
    return `${open}>\n      <error message="${escapeXml(`${c.errored} samples errored: ${first ? `${first.code}: ${first.message}` : ''}`.slice(0, 500))}" type="${escapeXml(first?.code ?? 'ERROR')}">${escapeXml(body.slice(0, MAX_BODY_CHARS))}</error>\n    </testcase>`;
  }
  return `${open}/>`;
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
