import Table from 'cli-table3';
import path from 'node:path';
import { latestRunDir } from '../../run/latest-run.js';
import { EvalgateError, ExitCode } from '../../core/evalgate-error.js';
import { formatPercent } from '../../core/format-figures.js';
import { casesNeeded, testsPerSetting } from '../../gate/cases-needed.js';
import { readRunSummary } from '../../run/read-baseline.js';
import type { CliIo } from '../cli-io.js';
import { loadCommandConfig } from './load-command-config.js';
import type { AdviseArgs } from '../cli-options.js';
import { settingLabel } from '../../core/setting.js';

/**
 * `evalgate advise --drop 0.1 [run dir]`: how many cases each setting needs for the gate to detect a
 * drop of that size (at the gate's alpha, with the given power), at the pass rates a run observed or
 * at `--rate`; and whether the suites have that many.
 */
export async function adviseCommand(args: AdviseArgs, io: CliIo): Promise<number> {
  const config = await loadCommandConfig(args, io);
  const alpha = args.alpha ?? config.gate.alpha;
  if (!(args.drop > 0 && args.drop < 1)) throw new EvalgateError('USAGE', `--drop must be between 0 and 1, got ${args.drop}`, { hint: 'e.g. --drop 0.1 for 10 points' });
  if (!(args.power > 0 && args.power < 1) || !(alpha > 0 && alpha < 1)) throw new EvalgateError('USAGE', '--power and --alpha must be between 0 and 1');
  const policy = { ...config.gate, alpha };
  const perSetting = testsPerSetting(policy, 0);
  const explain = (settings: number) =>
    `one-sided, power ${args.power}; the gate's family of ${settings} gated setting${settings === 1 ? '' : 's'} × ${perSetting} test${perSetting === 1 ? '' : 's'}${policy.caseRegressions === 'fail' ? ' + one per case' : ''} holds each test to α ${alpha} ÷ its size; unpaired formula, so the paired gate needs at most this many`;
  if (args.rate !== undefined) {
    if (!(args.rate > args.drop && args.rate <= 1)) throw new EvalgateError('USAGE', `--rate must be above --drop and at most 1, got ${args.rate}`);
    const n = casesNeeded(Math.min(args.rate, 0.999), args.rate - args.drop, policy, args.power);
    io.stdout.write(`To detect ${formatPercent(args.rate)} → ${formatPercent(args.rate - args.drop)}: ${n} cases per run (${explain(1)}).\n`);
    return ExitCode.ok;
  }
  const runDir = args.runDir !== undefined ? args.runDir : latestRunDir(path.resolve(config.rootDir, config.outDir));
  const summary = readRunSummary(runDir, io.cwd, 'advise');
  const gatedSettings = Math.max(1, summary.groups.filter((g) => g.gated !== false).length);
  const table = new Table({ head: ['suite', 'setting', 'gated', 'pass rate', `after −${(args.drop * 100).toFixed(0)} pts`, 'cases needed', 'cases now', 'enough?'], style: { head: [], border: [], compact: true } });
  for (const g of summary.groups) {
    if (g.passRate === null) continue;
    // The formula needs a rate strictly inside (drop, 1); the table shows the rates themselves.
    const p1 = Math.min(Math.max(g.passRate, args.drop + 0.001), 0.999);
    const needed = casesNeeded(p1, p1 - args.drop, policy, args.power, gatedSettings);
    table.push([g.suite, settingLabel(g), g.gated === false ? 'no' : 'yes', formatPercent(g.passRate), formatPercent(Math.max(0, g.passRate - args.drop)), String(needed), String(g.cases), g.cases >= needed ? 'yes' : 'no']);
  }
  io.stdout.write(`Cases each setting needs for the gate to catch a drop of ${(args.drop * 100).toFixed(0)} points (${explain(gatedSettings)}), at the pass rates of run ${summary.runId}:\n${table.toString()}\n`);
  return ExitCode.ok;
}
