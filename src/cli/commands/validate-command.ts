import { JUDGE_PROMPT_VERSION, JUDGE_SYSTEM_PROMPT, JUDGE_USER_TEMPLATE, VERDICT_JSON_SCHEMA } from '../../assertions/judge-prompt.js';
import { ExitCode } from '../../core/evalgate-error.js';
import { formatCountOf } from '../../core/format-figures.js';
import { settingKey } from '../../core/setting.js';
import { settingOfTrial } from '../../plan/trial.js';
import type { CliIo } from '../cli-io.js';
import type { ValidateArgs } from '../cli-options.js';
import { loadAndPlan } from './load-and-plan.js';

/** `evalgate validate`: load and plan, print what a run would send; sends nothing. */
export async function validateCommand(args: ValidateArgs, io: CliIo): Promise<number> {
  const { project, trials } = await loadAndPlan(args, io);
  const samples = trials.reduce((s, t) => s + t.setting.numberResults, 0);
  const settings = new Set(trials.map((t) => settingKey(settingOfTrial(t))));
  const cases = new Set(trials.map((t) => `${t.suite}\u0000${t.caseId}`));
  const suites = new Set(trials.map((t) => t.suite));
  io.stdout.write(
    `OK: ${formatCountOf(suites.size, 'suite')}, ${formatCountOf(cases.size, 'case')}, ${formatCountOf(settings.size, 'setting')}, ` +
      `${formatCountOf(trials.length, 'trial')}, ${formatCountOf(samples, 'sample')}` +
      `${project.warnings.length ? `, ${project.warnings.length} warning${project.warnings.length === 1 ? '' : 's'}` : ''}\n`,
  );
  for (const suite of project.suites) {
    const own = trials.filter((t) => t.suite === suite.name);
    if (own.length === 0) continue;
    const levels = [...new Set(own.map((t) => t.setting.thinkingLevel))].join(', ');
    const models = [...new Set(own.map((t) => t.setting.model))].join(', ');
    const ns = [...new Set(own.map((t) => t.setting.numberResults))].join(', ');
    const delivery = [...new Set(own.map((t) => t.request.deliveryMethod ?? 'sync'))].join(', ');
    // Cases may set their own repeats: the largest is said, so that the product reads as the trial count when they agree.
    const repeats = Math.max(...own.map((t) => t.repeat + 1));
    io.stdout.write(
      `  ${suite.name} (${suite.file}): ${formatCountOf(new Set(own.map((t) => t.caseId)).size, 'case')} × models ${models} × levels ${levels} × numberResults ${ns}${repeats > 1 ? ` × repeats ${repeats}` : ''} → ${formatCountOf(own.length, 'trial')} · delivery ${delivery}\n`,
    );
  }
  if (args.showJudgePrompt) io.stdout.write(`\n${describeJudgePrompt()}`);
  return ExitCode.ok;
}

/** What every judge request sends, with `{{…}}` where each sample's parts go, and the prompt's version. */
export function describeJudgePrompt(): string {
  return [
    `Judge prompt, version ${JUDGE_PROMPT_VERSION} (recorded with every verdict as promptVersion)`,
    '',
    '--- system prompt ---',
    JUDGE_SYSTEM_PROMPT,
    '',
    '--- user message (a section is left out when it has nothing: no reference, no tool calls) ---',
    JUDGE_USER_TEMPLATE,
    '',
    '--- outputFormat: JSON, jsonSchema ---',
    JSON.stringify(VERDICT_JSON_SCHEMA, null, 2),
    '',
  ].join('\n');
}
