import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JUDGE_PROMPT_VERSION, JUDGE_SYSTEM_PROMPT } from '../../src/assertions/judge-prompt.js';
import { runCli } from '../../src/cli/run-cli.js';
import type { JudgeCalibration } from '../../src/results/judge-calibration.js';
import { memoryIo } from '../support/memory-io.js';

const root = path.resolve(import.meta.dirname, '../..');

/** The worked example of docs/judges.md, as shipped: the repository's suites, labels and simulator. */
describe('the calibration example', () => {
  let project: string;
  let calibration: JudgeCalibration;

  beforeAll(async () => {
    project = mkdtempSync(path.join(tmpdir(), 'evalgate-calibration-'));
    for (const entry of ['evals', 'fixtures/schemas', 'fixtures/simulator', 'fixtures/data', 'fixtures/labels']) cpSync(path.join(root, entry), path.join(project, entry), { recursive: true });
    writeFileSync(path.join(project, 'evalconfig.yaml'), readFileSync(path.join(root, 'evalconfig.yaml'), 'utf8').replace(/latencyScale: [\d.]+/, 'latencyScale: 0'));
    const io = memoryIo({ cwd: project });
    expect(await runCli(['calibrate', 'evals/release-notes-summary.yaml', '--labels', 'fixtures/labels/release-notes-labels.csv', '--provider', 'simulator', '--json'], io)).toBe(0);
    calibration = JSON.parse(io.out()) as JudgeCalibration;
  }, 60_000);
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('has at least 30 labelled answers, and gives the figures docs/judges.md shows', () => {
    expect(calibration.n).toBeGreaterThanOrEqual(30);
    expect(calibration.n).toBe(33);
    expect(calibration.confusion).toEqual({ truePass: 15, falsePass: 3, falseFail: 2, trueFail: 13 });
    expect(calibration.accuracy).toBeCloseTo(28 / 33, 12);
    expect(calibration.kappa!.toFixed(2)).toBe('0.70');
    const docs = readFileSync(path.join(root, 'docs/judges.md'), 'utf8');
    expect(docs).toContain("Accuracy 84.8% (95% CI 69.1%–93.3%) · Cohen's kappa 0.70");
  });

  it('prints the judge prompt and its version with validate --show-judge-prompt', async () => {
    const io = memoryIo({ cwd: project });
    expect(await runCli(['validate', '--show-judge-prompt'], io)).toBe(0);
    expect(io.out()).toContain(`Judge prompt, version ${JUDGE_PROMPT_VERSION}`);
    expect(io.out()).toContain(JUDGE_SYSTEM_PROMPT);
  });
});
