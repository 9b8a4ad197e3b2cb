import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeProjectFiles } from '../support/write-project.js';
import { compileChecks } from '../../src/assertions/assertion-registry.js';
import type { ResolvedScriptAssertion } from '../../src/config/loaded-suite.js';
import { loadProject } from '../../src/config/load-project.js';
import type { ScriptCheck, ScriptContext } from '../../src/index.js';
import { applyDeferredChecks } from '../../src/run/apply-deferred-checks.js';
import { makeRecord } from '../support/builders.js';
import { testRegexRunner } from '../support/compile.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'evalgate-scripts-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SUITE = (assert: string) => `suite: refunds
settings: {systemPrompt: "Answer.", maxTokens: 300}
vars: {limit: 30}
cases:
  - id: late-refund
    vars: {days: 45}
    messages: [{role: user, content: "Refund after {{days}} days?"}]
    assert: [${assert}]
`;

const project = (files: Record<string, string>) => writeProjectFiles(dir, files);

/** Loads the suite and runs its checks on one answer, as a run does. */
async function judgeAnswer(root: string, text: string) {
  const { suites } = await loadProject({ cwd: root, suitePaths: ['evals/refunds.yaml'] });
  const kase = suites[0]!.cases[0]!;
  const checks = compileChecks(kase.assertions, { regex: testRegexRunner, subject: { suite: 'refunds', caseId: kase.id, vars: kase.vars ?? {} } });
  const record = makeRecord({ text, assertions: [], pass: true });
  await applyDeferredChecks([record], checks.deferred);
  return record;
}

function script(fn: ScriptCheck, extra: Partial<ResolvedScriptAssertion> = {}): ResolvedScriptAssertion {
  return { type: 'script', module: 'check.ts', label: 'checks/check.ts', fn, ...extra };
}

async function runScript(spec: ResolvedScriptAssertion, text = 'No refund after 30 days.') {
  const checks = compileChecks([spec], { regex: testRegexRunner, subject: { suite: 's', caseId: 'c1', vars: { days: 45 } } });
  const record = makeRecord({ text, assertions: [], pass: true });
  await applyDeferredChecks([record], checks.deferred);
  return record;
}

describe('script modules', () => {
  it('loads a TypeScript default export without a build step and passes it the text and the context', async () => {
    const root = await project({
      'evals/refunds.yaml': SUITE('{type: script, module: ../checks/refund.ts}'),
      'checks/refund.ts': `interface Ctx { vars: Record<string, string | number | boolean>; caseId: string }
export default function check(output: string, context: Ctx): { pass: boolean; reason: string } {
  const days: number = Number(context.vars.days);
  return { pass: days > Number(context.vars.limit) ? /no refund/i.test(output) : true, reason: \`\${context.caseId}: \${days} days\` };
}
`,
    });
    const passed = await judgeAnswer(root, 'Sorry: no refund after 30 days.');
    expect(passed.pass).toBe(true);
    expect(passed.assertions).toEqual([{ type: 'script', pass: true, message: 'checks/refund.ts passed: late-refund: 45 days' }]);
    expect((await judgeAnswer(root, 'Sure, here is your refund.')).pass).toBe(false);
  });

  it('loads a named export of a JavaScript module, and awaits a Promise', async () => {
    const root = await project({
      'evals/refunds.yaml': SUITE('{type: script, module: ../checks/refund.mjs, export: mentionsPolicy}'),
      'checks/refund.mjs': 'export async function mentionsPolicy(output) { await new Promise((r) => setImmediate(r)); return output.includes("policy"); }\n',
    });
    const record = await judgeAnswer(root, 'Per our policy, no.');
    expect(record.assertions).toEqual([{ type: 'script', pass: true, message: 'checks/refund.mjs#mentionsPolicy returned true' }]);
  });

  it('reports a module that does not load (a syntax error) at the suite’s line', async () => {
    const root = await project({ 'evals/refunds.yaml': SUITE('{type: script, module: ../checks/broken.ts}'), 'checks/broken.ts': 'export default (output: string => {\n' });
    const error = await loadProject({ cwd: root, suitePaths: ['evals/refunds.yaml'] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ diagnostics: [{ code: 'BAD_SCRIPT', file: 'evals/refunds.yaml', line: 8 }] });
  });
});

describe('script verdicts', () => {
  it('takes {pass, score, reason} and says so', async () => {
    const record = await runScript(script(() => ({ pass: false, score: 0.2, reason: 'promised a refund' })));
    expect(record.pass).toBe(false);
    expect(record.assertions[0]).toEqual({ type: 'script', pass: false, message: 'checks/check.ts failed (score 0.2): promised a refund' });
  });

  it('gives the function the case, its vars, the finish reason, usage and tool calls', async () => {
    let seen: ScriptContext | undefined;
    await runScript(script((_, context) => {
      seen = context;
      return true;
    }));
    expect(seen).toEqual({
      suite: 's', caseId: 'c1', vars: { days: 45 }, finishReason: 'stop',
      usage: { promptTokens: 10, completionTokens: 5, thinkingTokens: 20, totalTokens: 35 }, toolCalls: [], costUsd: 0.001,
    });
  });

  it('errors the sample (SCRIPT_ERROR, with the message) when the function throws, keeping the answer and its cost', async () => {
    const record = await runScript(script(() => {
      throw new Error('refund table missing');
    }));
    expect(record).toMatchObject({ status: 'errored', pass: null, text: 'No refund after 30 days.', costUsd: 0.001 });
    expect(record.error).toEqual({ code: 'SCRIPT_ERROR', message: 'checks/check.ts threw: refund table missing' });
  });

  it('errors the sample when the function does not answer within timeoutMs', async () => {
    const record = await runScript(script(() => new Promise<boolean>(() => {}), { timeoutMs: 5 }));
    expect(record.error).toEqual({ code: 'SCRIPT_ERROR', message: 'checks/check.ts did not answer within 5 ms' });
  });

  it('errors the sample when the verdict has another shape', async () => {
    const record = await runScript(script((() => 'yes') as unknown as ScriptCheck));
    expect(record.error?.message).toBe('checks/check.ts returned "yes"; expected a boolean or {pass, score?, reason?}');
  });

  it('leaves errored samples alone', async () => {
    let calls = 0;
    const checks = compileChecks([script(() => ++calls > 0)], { regex: testRegexRunner });
    const record = makeRecord({ status: 'errored', pass: null, text: null, error: { code: 'SERVER_ERROR', message: 'boom' } });
    await applyDeferredChecks([record], checks.deferred);
    expect(calls).toBe(0);
    expect(record.error?.code).toBe('SERVER_ERROR');
  });
});
