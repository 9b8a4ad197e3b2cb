import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_MODELS } from '../../src/config/default-models.js';
import { ModelTable } from '../../src/config/model-table.js';
import { loadCostEstimator } from '../../src/cost/load-cost-estimator.js';
import { approximatePromptTokens } from '../../src/cost/prompt-token-counter.js';
import { readUsageHistory } from '../../src/cost/read-usage-history.js';
import { UsageHistory } from '../../src/cost/usage-history.js';
import type { SampleRecord } from '../../src/core/sample-record.js';
import { makeCase, makeRecord, makeTrial } from '../support/builders.js';

describe('readUsageHistory', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'evalgate-history-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** A run folder whose journal holds `thinking` tokens for each sample, last written `ageS` seconds ago. */
  function writeRun(name: string, thinking: number[], ageS: number, extra = ''): string {
    const dir = path.join(root, name);
    mkdirSync(dir, { recursive: true });
    const lines = thinking.map((t): SampleRecord => makeRecord({ usage: { promptTokens: 1, completionTokens: 0, thinkingTokens: t, totalTokens: t + 1 } }));
    writeFileSync(path.join(dir, 'results.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n' + extra);
    const when = new Date(Date.now() - ageS * 1000);
    utimesSync(path.join(dir, 'results.jsonl'), when, when);
    return dir;
  }

  it('reads every run folder once, not the latest link, and skips lines that are not records', async () => {
    writeRun('run-a', [100, 200], 30);
    const b = writeRun('run-b', [300], 10, '{"suite": "s", "torn');
    symlinkSync('run-b', path.join(root, 'latest'));
    const history = new UsageHistory();
    const read = await readUsageHistory(root, history);
    expect(read.runDirs).toEqual([b, path.join(root, 'run-a')]);
    expect(read.skippedLines).toBe(1);
    expect(history.samples).toBe(3);
    expect(history.forModel('openai-gpt-5-5', 'low')!.thinkingTokens.mean).toBe(200);
  });

  it('reads the newest runs only, and never the run being made', async () => {
    writeRun('old', [1000], 300);
    writeRun('new', [10], 10);
    const current = writeRun('current', [5000], 1);
    const history = new UsageHistory();
    const read = await readUsageHistory(root, history, { maxRuns: 1, exclude: current });
    expect(read.runDirs).toEqual([path.join(root, 'new')]);
    expect(history.forModel('openai-gpt-5-5', 'low')!.thinkingTokens.mean).toBe(10);
  });

  it('stops at the sample cap, newest runs first, and does not open older runs', async () => {
    writeRun('old', [1000, 1000], 300);
    writeRun('new', [10, 20, 30], 10);
    const history = new UsageHistory();
    const read = await readUsageHistory(root, history, { maxSamples: 2 });
    expect(read.runDirs).toEqual([path.join(root, 'new')]);
    expect(history.samples).toBe(2);
    expect(history.forModel('openai-gpt-5-5', 'low')!.thinkingTokens.mean).toBe(15);
  });

  it('takes a single run folder as the whole history, and a missing folder as none', async () => {
    const dir = writeRun('one', [7, 9], 5);
    const history = new UsageHistory();
    expect((await readUsageHistory(dir, history)).runDirs).toEqual([dir]);
    expect(history.samples).toBe(2);
    expect((await readUsageHistory(path.join(root, 'missing'), new UsageHistory())).runDirs).toEqual([]);
  });
});

describe('loadCostEstimator', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'evalgate-estimator-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const trials = [
    makeTrial({ id: 'known', case: makeCase({ id: 'known', messages: [{ role: 'user', content: 'x'.repeat(400) }] }) }),
    makeTrial({ id: 'new', case: makeCase({ id: 'new', messages: [{ role: 'user', content: 'x'.repeat(400) }] }) }),
  ];

  it('in a run (measured), takes the prompt tokens the API reported for a case, and approximates the rest without a tokenizer', async () => {
    mkdirSync(path.join(root, 'run-a'));
    const line = makeRecord({ case: 'known', usage: { promptTokens: 777, completionTokens: 5, thinkingTokens: 5, totalTokens: 787 } });
    writeFileSync(path.join(root, 'run-a', 'results.jsonl'), `${JSON.stringify(line)}\n`);
    const estimator = await loadCostEstimator(trials, new ModelTable(DEFAULT_MODELS), root, { prompts: 'measured' });
    const known = estimator.estimate([trials[0]!]).groups[0]!;
    expect(known).toMatchObject({ promptCostSource: 'history', promptTokensPerSample: 777 });
    const fresh = estimator.estimate([trials[1]!]).groups[0]!;
    // 400 bytes at 4 a token, plus the chat overhead (3 per message, the role, 3 for the reply).
    expect(fresh).toMatchObject({ promptCostSource: 'tokenizer', tokenizer: 'approximate' });
    expect(fresh.promptTokensPerSample).toBe(approximatePromptTokens(trials[1]!.request));
    expect(fresh.promptTokensPerSample).toBeGreaterThan(100);
  });

  it('for evalgate estimate (tokenize), counts every prompt with the model tokenizer', async () => {
    const estimator = await loadCostEstimator(trials, new ModelTable(DEFAULT_MODELS), root);
    expect(estimator.estimate(trials).groups[0]).toMatchObject({ promptCostSource: 'tokenizer', tokenizer: 'o200k_base' });
  });
});
