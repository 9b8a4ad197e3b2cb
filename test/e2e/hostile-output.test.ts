import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../../src/cli/run-cli.js';
import type { SampleRecord } from '../../src/core/sample-record.js';
import { memoryIo, type MemoryIo } from '../support/memory-io.js';

const ESCAPES = '\u001b[2J\u001b[31mred\u001b]0;title\u0007\u0000\u0008 and\r\nmore';

/** Model output is untrusted: huge, full of terminal escapes, built to make regexes backtrack. */
describe('hostile model output', () => {
  let dir: string;
  let io: MemoryIo;
  let code: number;
  let records: SampleRecord[];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-hostile-'));
    mkdirSync(path.join(dir, 'evals'));
    mkdirSync(path.join(dir, 'scenarios'));
    writeFileSync(path.join(dir, 'evalconfig.yaml'), 'provider: simulator\nassertionTimeoutMs: 300\nsimulator: {scenarios: scenarios, latencyScale: 0}\n');
    writeFileSync(
      path.join(dir, 'scenarios', 'hostile.yaml'),
      stringify({
        scenario: 'hostile',
        match: 'Echo',
        levels: { none: { accuracy: 1, thinkingTokens: 0, latencyMs: 1 } },
        answers: [
          { when: 'huge', correct: `${'a'.repeat(400_000)}!`, wrong: 'x' },
          { when: 'escapes', correct: ESCAPES, wrong: 'x' },
        ],
      }),
    );
    writeFileSync(
      path.join(dir, 'evals', 'hostile.yaml'),
      stringify({
        suite: 'hostile',
        settings: { systemPrompt: 'Echo.', maxTokens: 128000, thinkingLevel: 'none' },
        assert: [{ type: 'regex', pattern: '(a+)+\\1b' }, { type: 'regex', pattern: 'never', flags: 'i' }],
        cases: [
          { id: 'huge', messages: [{ role: 'user', content: 'huge' }] },
          { id: 'escapes', messages: [{ role: 'user', content: 'escapes' }] },
        ],
      }),
    );
    io = memoryIo({ cwd: dir });
    code = await runCli(['run', '--out', 'run', '--no-color'], io);
    records = readFileSync(path.join(dir, 'run', 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SampleRecord);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finishes the run: a regex past its bound is an errored, failed assertion, not a hang', () => {
    expect(code).toBe(1);
    const huge = records.find((r) => r.case === 'huge')!;
    expect(huge.text).toHaveLength(400_001);
    expect(huge.assertions[0]).toMatchObject({ type: 'regex', pass: false, errored: true });
    expect(huge.assertions[0]!.message).toContain('did not finish within 300 ms on a 400,001-character output');
  });

  it('keeps the output whole in results.jsonl, and out of the terminal', () => {
    expect(records.find((r) => r.case === 'escapes')!.text).toBe(ESCAPES);
    const printed = io.out() + io.err();
    // eslint-disable-next-line no-control-regex
    expect(printed).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
    expect(printed).toContain('hostile/escapes');
  });
});
