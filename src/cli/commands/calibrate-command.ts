import { mkdirSync } from 'node:fs';
import path from 'node:path';
import PQueue from 'p-queue';
import { CheckError, makeSampleView } from '../../assertions/assertion.js';
import { compileChecks } from '../../assertions/assertion-registry.js';
import { JUDGE_PROMPT_VERSION, rubricHash } from '../../assertions/judge-prompt.js';
import { RegexRunner } from '../../assertions/regex-runner.js';
import { displayPath, howFileLeaves } from '../../config/display-path.js';
import { loadProject } from '../../config/load-project.js';
import type { LoadedCase, ResolvedJudgeAssertion } from '../../config/loaded-suite.js';
import { readLabels } from '../../config/read-labels.js';
import { EvalgateError, ExitCode } from '../../core/evalgate-error.js';
import { createProvider } from '../../providers/create-provider.js';
import { writeFileAtomic } from '../../core/write-file-atomic.js';
import { formatCount, formatUsd } from '../../core/format-figures.js';
import { judgeAgreement } from '../../results/judge-agreement.js';
import type { JudgeCalibration, JudgeMiss } from '../../results/judge-calibration.js';
import type { SampleJudging } from '../../core/sample-record.js';
import { systemClock } from '../../run/clock.js';
import { createJudgeGateway } from '../../run/create-judge-gateway.js';
import { JudgeCache } from '../../run/judge-cache.js';
import { RetryBudget } from '../../run/retry-budget.js';
import type { CliIo } from '../cli-io.js';
import type { CalibrateArgs } from '../cli-options.js';

/**
 * `evalgate calibrate <suite> --labels FILE`: asks the suite's judge about every labelled answer and
 * reports how it agrees with the people who labelled them: accuracy with its 95% interval, Cohen's
 * kappa, the confusion matrix with each false pass and false fail, and what the judging cost. Keeps
 * the result per rubric, so later runs that use the rubric record it in summary.json.
 */
export async function calibrateCommand(args: CalibrateArgs, io: CliIo): Promise<number> {
  const project = await loadProject({ cwd: io.cwd, ...(args.config ? { configPath: args.config } : {}), suitePaths: [args.suite] });
  const { config } = project;
  const suite = project.suites[0];
  if (!suite || project.suites.length !== 1) throw new EvalgateError('USAGE', `calibrate takes one suite; ${args.suite} holds ${project.suites.length}`);
  const judgeOf = (kase: LoadedCase) => kase.assertions.find((a): a is ResolvedJudgeAssertion => a.type === 'judge');
  if (!suite.cases.some(judgeOf)) throw new EvalgateError('USAGE', `suite ${suite.name} has no judge assertion to calibrate`, { hint: 'add {type: judge, rubric: …} to its assert:' });
  const labelsFile = path.resolve(io.cwd, args.labels);
  const leaves = await howFileLeaves(config.rootDir, labelsFile);
  if (leaves !== undefined) {
    throw new EvalgateError('USAGE', `labels file ${displayPath(labelsFile, io.cwd)} leaves the project folder${leaves}; it was not read`, {
      hint: `keep labels under ${displayPath(config.rootDir, io.cwd) || '.'} (the folder of evalconfig.yaml, else the working folder), as files, not links to elsewhere`,
    });
  }
  const labels = readLabels(labelsFile, displayPath(labelsFile, io.cwd));
  const cases = new Map(suite.cases.map((c) => [c.id, c]));
  const unknown = labels.filter((l) => !cases.has(l.case) || !judgeOf(cases.get(l.case)!));
  if (unknown.length > 0) {
    const first = unknown[0]!;
    throw new EvalgateError('USAGE', `${args.labels}:${first.line}: case "${first.case}" ${cases.has(first.case) ? 'has no judge assertion' : `is not a case of suite ${suite.name}`}${unknown.length > 1 ? ` (and ${unknown.length - 1} more labels)` : ''}`, {
      hint: `cases with a judge: ${suite.cases.filter(judgeOf).map((c) => c.id).slice(0, 10).join(', ')}`,
    });
  }

  const setup = await createProvider(args.provider ?? config.provider, config, io.env, { cwd: io.cwd, concurrency: config.concurrency, ...(args.seed !== undefined ? { seed: args.seed } : {}) });
  const regex = new RegexRunner(config.assertionTimeoutMs);
  const gateway = createJudgeGateway({
    provider: setup.provider, retry: config.retry, requestTimeoutMs: config.requestTimeoutMs, clock: systemClock, signal: new AbortController().signal,
    retryBudget: RetryBudget.forRun(labels.length, config.retry.budget),
    ...(args.judgeCache ? { cache: new JudgeCache(path.resolve(config.rootDir, config.judge.cacheDir)) } : {}),
  });
  const cost = { calls: 0, cachedCalls: 0, costUsd: 0 };
  const addCost = (judging: SampleJudging | undefined) => {
    if (!judging) return;
    cost.calls += judging.calls;
    cost.cachedCalls += judging.cachedCalls;
    cost.costUsd += judging.costUsd;
  };
  const queue = new PQueue({ concurrency: config.concurrency });
  let verdicts: { judge: boolean | null; reason: string }[];
  try {
    verdicts = await Promise.all(
      labels.map((label) =>
        queue.add(async () => {
          const kase = cases.get(label.case)!;
          const [check] = compileChecks([judgeOf(kase)!], { regex, judge: gateway, conversation: kase.messages }).deferred;
          const view = makeSampleView({ text: label.text, toolCalls: [], finishReason: 'stop', usage: null, costUsd: null, latencyMs: 0 });
          try {
            const outcome = await check!.check(view);
            addCost(outcome.judging);
            return { judge: outcome.pass, reason: outcome.judging?.judges[0]?.verdicts[0]?.reason ?? outcome.message };
          } catch (error) {
            if (!(error instanceof CheckError)) throw error;
            addCost(error.judging);
            return { judge: null, reason: error.message };
          }
        }),
      ),
    );
  } finally {
    await regex.close();
    await setup.close();
  }

  const agreement = judgeAgreement(labels.map((l, i) => ({ human: l.pass, judge: verdicts[i]!.judge })));
  const miss = (i: number): JudgeMiss => {
    const l = labels[i]!;
    return { case: l.case, line: l.line, text: l.text.length > 200 ? `${l.text.slice(0, 200)}…` : l.text, ...(l.note ? { note: l.note } : {}), reason: verdicts[i]!.reason };
  };
  const indexes = labels.map((_, i) => i);
  const firstJudge = judgeOf(cases.get(labels[0]!.case)!)!;
  const calibration: JudgeCalibration = {
    schemaVersion: 1,
    suite: suite.name,
    rubricHashes: [...new Set(labels.map((l) => { const j = judgeOf(cases.get(l.case)!)!; return rubricHash(j.rubric, j.reference); }))],
    judge: { model: firstJudge.grader.model, thinkingLevel: firstJudge.grader.thinkingLevel, samples: firstJudge.samples, threshold: firstJudge.threshold ?? null, promptVersion: JUDGE_PROMPT_VERSION },
    labelsFile: displayPath(labelsFile, config.rootDir),
    calibratedAt: new Date().toISOString(),
    ...agreement,
    falsePasses: indexes.filter((i) => verdicts[i]!.judge === true && !labels[i]!.pass).map(miss),
    falseFails: indexes.filter((i) => verdicts[i]!.judge === false && labels[i]!.pass).map(miss),
    cost,
  };
  const dir = path.resolve(config.rootDir, config.judge.calibrationsDir);
  mkdirSync(dir, { recursive: true });
  for (const hash of calibration.rubricHashes) await writeFileAtomic(path.join(dir, `${hash}.json`), `${JSON.stringify(calibration, null, 2)}\n`);
  io.stdout.write(args.json ? `${JSON.stringify(calibration, null, 2)}\n` : describeCalibration(calibration, setup.simulated));
  return ExitCode.ok;
}

/** The calibration for people: the figures, the matrix, the misses. */
export function describeCalibration(c: JudgeCalibration, simulated: boolean): string {
  const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);
  const { truePass, falsePass, falseFail, trueFail } = c.confusion;
  const out = [
    `Calibration of ${c.suite}'s judge (${c.judge.model} ${c.judge.thinkingLevel}, ${c.judge.samples} verdict${c.judge.samples === 1 ? '' : 's'} per answer, prompt ${c.judge.promptVersion}) against ${c.labelsFile}`,
    `${formatCount(c.n)} labelled answers judged${c.noVerdict > 0 ? `, ${c.noVerdict} without a verdict (JUDGE_ERROR; left out)` : ''}`,
    `Accuracy ${pct(c.accuracy)} (95% CI ${c.accuracyCi95 ? `${pct(c.accuracyCi95[0])}–${pct(c.accuracyCi95[1])}` : '–'}) · Cohen's kappa ${c.kappa === null ? '–' : c.kappa.toFixed(2)}`,
    '',
    '                 people: pass   people: fail',
    `judge: pass      ${String(truePass).padStart(12)}   ${String(falsePass).padStart(12)}  (false passes)`,
    `judge: fail      ${String(falseFail).padStart(12)}   ${String(trueFail).padStart(12)}`,
    `                 (false fails)`,
    '',
  ];
  for (const [title, list] of [['False passes (the judge passed what people failed)', c.falsePasses], ['False fails (the judge failed what people passed)', c.falseFails]] as const) {
    if (list.length === 0) continue;
    out.push(`${title}:`);
    for (const m of list) out.push(`  line ${m.line} · ${m.case}: ${JSON.stringify(m.text.slice(0, 100))}${m.note ? ` (note: ${m.note})` : ''} — judge: ${m.reason.slice(0, 140)}`);
    out.push('');
  }
  out.push(`Cost: ${formatCount(c.cost.calls)} judge calls (${formatCount(c.cost.cachedCalls)} cached) · ${formatUsd(c.cost.costUsd)}`);
  if (simulated) out.push('The judge is the built-in simulator: these figures are illustrative.');
  out.push('');
  return out.join('\n');
}
