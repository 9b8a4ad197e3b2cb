import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { GateSchema } from '../../src/config/config-schema.js';
import { GITHUB_COMMENT_MAX_CHARS, PR_COMMENT_MARKER } from '../../src/reporters/render-pr-comment.js';
import { RunSummarizer } from '../../src/results/run-summarizer.js';
import type { RunSummary } from '../../src/results/run-summary.js';
import type { SampleRecord } from '../../src/core/sample-record.js';
import { buildRunSummary } from '../../src/run/finish-run.js';
import { makeRecord } from '../support/builders.js';
import { FakeCodeHost } from '../support/fake-code-host.js';
import { memoryIo } from '../support/memory-io.js';

const TOKEN = 'ghs_secretTOKEN1234567890';

/** A run folder holding only summary.json, as `evalgate comment` reads it. */
function writeRun(dir: string, runId: string, records: SampleRecord[], baseline?: RunSummary): string {
  const summarizer = new RunSummarizer(() => 0.75);
  records.forEach((r) => summarizer.add(r));
  const summary = buildRunSummary(summarizer, {
    runId, provider: 'simulator', simulated: true, startedAt: new Date('2026-12-01T10:00:00Z'), finishedAt: new Date('2026-12-01T10:01:00Z'),
    interrupted: false, plannedTrials: records.length, skipped: null, estimate: null, projection: null,
    config: { provider: 'simulator', concurrency: 1, requestTimeoutMs: 1, retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0, trialDeadlineMs: 1, budget: 1 }, maxErrorRate: 1, suites: [{ name: 's', file: 'evals/s.yaml', threshold: 0.75 }], filter: [], thinkingLevels: null, numberResults: null, apiUrl: null },
  }, baseline ? { summary: baseline, policy: GateSchema.parse({ maxLatencyIncrease: null }) } : undefined);
  const runDir = path.join(dir, runId);
  mkdirSync(runDir, { recursive: true });
  writeFileSync(path.join(runDir, 'summary.json'), JSON.stringify(summary));
  return runDir;
}

const readSummary = (runDir: string) => JSON.parse(readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as RunSummary;

const failing = (n: number, message = 'expected "x"') =>
  Array.from({ length: n }, (_, i) => makeRecord({ case: `case-${i}`, trialId: `t${i}`, pass: false, assertions: [{ type: 'regex', pass: false, message }] }));

describe('evalgate comment', () => {
  let host: FakeCodeHost;
  let dir: string;
  beforeAll(async () => {
    host = await new FakeCodeHost().start();
  });
  afterAll(() => host.close());
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-comment-'));
    host.threads.clear();
    host.calls.length = 0;
    host.refuse = undefined;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const githubEnv = (event: unknown = { pull_request: { number: 7 } }) => {
    const eventPath = path.join(dir, 'event.json');
    writeFileSync(eventPath, JSON.stringify(event));
    return { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: 'acme/prompts', GITHUB_EVENT_PATH: eventPath, GITHUB_API_URL: host.url, GITHUB_SERVER_URL: 'https://github.example', GITHUB_RUN_ID: '99' };
  };

  describe('--github', () => {
    it('creates one comment, then updates that same comment on later runs (never a second one)', async () => {
      host.seed('acme/prompts#7', Array.from({ length: 130 }, (_, i) => `a reviewer's comment ${i}`));
      const env = githubEnv();
      const first = memoryIo({ cwd: dir, env });
      expect(await runCli(['comment', '--github', writeRun(dir, 'run-1', failing(3))], first)).toBe(0);
      expect(first.out()).toMatch(/^created the evalgate comment on pull request #7 of acme\/prompts/);

      const second = memoryIo({ cwd: dir, env });
      expect(await runCli(['comment', '--github', writeRun(dir, 'run-2', [makeRecord({ case: 'fine', trialId: 'f' })])], second)).toBe(0);
      expect(second.out()).toMatch(/^updated the evalgate comment/);

      const ours = host.threads.get('acme/prompts#7')!.filter((c) => c.body.includes(PR_COMMENT_MARKER));
      expect(ours).toHaveLength(1);
      expect(ours[0]!.body).toContain('run-2');
      expect(ours[0]!.body).not.toContain('run-1');
      expect(ours[0]!.body).toContain('gate passed');
      // Found on the second page of comments, past the 130 others.
      expect(host.calls.filter((c) => c.method === 'GET').map((c) => c.path)).toContain('/repos/acme/prompts/issues/7/comments');
      expect(host.calls.filter((c) => c.method === 'PATCH')).toHaveLength(1);
      expect(host.calls.filter((c) => c.method === 'POST')).toHaveLength(1);
      const call = host.calls.find((c) => c.method === 'POST')!;
      expect(call.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(call.headers['x-github-api-version']).toBe('2022-11-28');
    });

    it('posts the verdict, the settings table and a pointer to the report artefact of the workflow run', async () => {
      const env = githubEnv();
      expect(await runCli(['comment', '--github', '--artifact', 'evals-report', writeRun(dir, 'run-1', failing(2))], memoryIo({ cwd: dir, env }))).toBe(0);
      const body = host.threads.get('acme/prompts#7')![0]!.body;
      expect(body.startsWith(`${PR_COMMENT_MARKER}\n## ❌ evalgate: gate failed (exit 1)`)).toBe(true);
      expect(body).toContain('| suite | model | level | n | pass rate |');
      expect(body).toContain('the `evals-report` artefact of [this workflow run](https://github.example/acme/prompts/actions/runs/99)');
    });

    it('shows the regressions and each setting\'s cost per sample against the baseline', async () => {
      const cases = (costUsd: number, pass: (i: number) => boolean) => Array.from({ length: 10 }, (_, i) => makeRecord({ case: `c${i}`, trialId: `t${i}`, costUsd, pass: pass(i), assertions: pass(i) ? [] : [{ type: 'regex', pass: false, message: 'no' }] }));
      const baseline = readSummary(writeRun(dir, 'base', cases(0.01, () => true)));
      const run = writeRun(dir, 'run-1', cases(0.015, (i) => i < 3), baseline);
      expect(await runCli(['comment', '--github', run], memoryIo({ cwd: dir, env: githubEnv() }))).toBe(0);
      const body = host.threads.get('acme/prompts#7')![0]!.body;
      expect(body).toContain('### Against baseline base');
      expect(body).toContain('### Cost against the baseline');
      expect(body).toMatch(/\| s \| openai-gpt-5-5 · low · n=1 \| \$0\.01 \| \$0\.015 \| \+50%/);
    });

    it("cuts a long comment to GitHub's size limit at a line, closes what it opened, and keeps the pointer", async () => {
      const env = githubEnv();
      const run = writeRun(dir, 'run-big', failing(3000, `expected "${'y'.repeat(150)}"`));
      expect(await runCli(['comment', '--github', run], memoryIo({ cwd: dir, env }))).toBe(0);
      const body = host.threads.get('acme/prompts#7')![0]!.body;
      expect(body.length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_CHARS);
      expect(body.length).toBeGreaterThan(GITHUB_COMMENT_MAX_CHARS * 0.8);
      expect(body).toContain('cut to the code host\'s size limit');
      expect(body.match(/<details>/g)!.length).toBe(body.match(/<\/details>/g)!.length);
      expect(body.trimEnd().endsWith('(report.html, summary.json, results.jsonl).')).toBe(true);
    });

    it('says there is nothing to comment on outside a pull request, and sends nothing', async () => {
      const io = memoryIo({ cwd: dir, env: githubEnv({ ref: 'refs/heads/main' }) });
      expect(await runCli(['comment', '--github', writeRun(dir, 'run-1', failing(1))], io)).toBe(0);
      expect(io.out()).toContain('did not run for a pull request');
      expect(host.calls).toEqual([]);
    });

    it('fails with exit 3 when the host refuses, and never prints the token (even when the host echoes it)', async () => {
      host.refuse = { status: 403, body: JSON.stringify({ message: `Resource not accessible by integration (token ${TOKEN})` }) };
      const io = memoryIo({ cwd: dir, env: githubEnv() });
      expect(await runCli(['comment', '--github', writeRun(dir, 'run-1', failing(1))], io)).toBe(3);
      expect(io.err()).toContain('GET /repos/acme/prompts/issues/7/comments answered 403: Resource not accessible by integration');
      expect(io.err()).toContain("a fork's pull request gets a read-only token");
      expect(io.out() + io.err()).not.toContain(TOKEN);
    });

    it('is a usage error without a token', async () => {
      const io = memoryIo({ cwd: dir, env: { ...githubEnv(), GITHUB_TOKEN: '' } });
      expect(await runCli(['comment', '--github', writeRun(dir, 'run-1', failing(1))], io)).toBe(2);
      expect(io.err()).toContain('--github needs GITHUB_TOKEN');
    });
  });

  describe('--gitlab', () => {
    const gitlabEnv = () => ({ CI_API_V4_URL: `${host.url}/api/v4`, CI_PROJECT_ID: 'group/prompts', CI_MERGE_REQUEST_IID: '12', GITLAB_TOKEN: TOKEN, CI_JOB_URL: 'https://gitlab.example/group/prompts/-/jobs/5' });

    it('creates one merge-request note, then updates it', async () => {
      host.seed('group/prompts!12', ['LGTM']);
      expect(await runCli(['comment', '--gitlab', writeRun(dir, 'run-1', failing(2))], memoryIo({ cwd: dir, env: gitlabEnv() }))).toBe(0);
      const io = memoryIo({ cwd: dir, env: gitlabEnv() });
      expect(await runCli(['comment', '--gitlab', writeRun(dir, 'run-2', failing(1))], io)).toBe(0);
      expect(io.out()).toMatch(/^updated the evalgate comment on merge request !12/);
      const notes = host.threads.get('group/prompts!12')!;
      expect(notes.map((n) => n.body.includes(PR_COMMENT_MARKER))).toEqual([false, true]);
      expect(notes[1]!.body).toContain('run-2');
      expect(notes[1]!.body).toContain('[the job\'s artefacts](https://gitlab.example/group/prompts/-/jobs/5/artifacts/browse)');
      expect(host.calls.map((c) => c.method)).toEqual(['GET', 'POST', 'GET', 'PUT']);
      expect(host.calls[0]!.path).toBe('/api/v4/projects/group%2Fprompts/merge_requests/12/notes');
      expect(host.calls.every((c) => c.headers['private-token'] === TOKEN)).toBe(true);
    });

    it('posts nothing in a pipeline that is not for a merge request', async () => {
      const io = memoryIo({ cwd: dir, env: { ...gitlabEnv(), CI_MERGE_REQUEST_IID: undefined } });
      expect(await runCli(['comment', '--gitlab', writeRun(dir, 'run-1', failing(1))], io)).toBe(0);
      expect(io.out()).toContain('not a merge request pipeline');
      expect(host.calls).toEqual([]);
    });
  });

  it('needs exactly one of --github and --gitlab', async () => {
    const io = memoryIo({ cwd: dir });
    expect(await runCli(['comment', writeRun(dir, 'run-1', failing(1))], io)).toBe(2);
    expect(io.err()).toContain('give one of --github or --gitlab');
  });
});
