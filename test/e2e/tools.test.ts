import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { DEFAULT_MODELS } from '../../src/config/default-models.js';
import { ModelTable } from '../../src/config/model-table.js';
import { loadScenarios } from '../../src/simulator/scenario.js';
import { startSimulator, type AnsweredTask } from '../../src/simulator/simulator-server.js';
import type { SampleRecord } from '../../src/core/sample-record.js';
import { memoryIo } from '../support/memory-io.js';

const fixture = path.resolve(import.meta.dirname, '../fixtures/projects/tools');

/** What a sample must be to pass, by this test's own reading of the suites (not evalgate's). */
function shouldPass(kase: string, result: AnsweredTask['results'][number]): boolean {
  const calls = result.toolCalls ?? [];
  if (kase === 'paris') return calls.length === 1 && calls[0]!.name === 'get_weather' && calls[0]!.arguments.city === 'Paris' && Object.keys(calls[0]!.arguments).length === 1;
  if (kase === 'thanks') return calls.length === 0 && /welcome/i.test(result.text);
  const ticket = JSON.parse(result.text) as Record<string, unknown>;
  return ['billing', 'bug', 'account'].includes(ticket.queue as string) && typeof ticket.urgent === 'boolean';
}

describe.each(['sync', 'stream'])('tools and structured output, end to end (%s)', (deliveryMethod) => {
  let dir: string;
  let records: SampleRecord[];
  const answered: AnsweredTask[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-tools-'));
    cpSync(fixture, dir, { recursive: true });
    writeFileSync(path.join(dir, 'evalconfig.yaml'), `${readFileSync(path.join(dir, 'evalconfig.yaml'), 'utf8')}deliveryMethod: ${deliveryMethod}\n`);
    const simulator = await startSimulator({
      seed: 3, scenarios: await loadScenarios(path.join(dir, 'scenarios'), dir), models: new ModelTable(DEFAULT_MODELS), latencyScale: 0,
      onTaskAnswered: (t) => answered.push(t),
    });
    try {
      const io = memoryIo({ cwd: dir, env: { RUNWARE_API_KEY: 'k', RUNWARE_API_URL: simulator.url } });
      expect([0, 1]).toContain(await runCli(['run', '--provider', 'runware', '--out', 'out'], io));
    } finally {
      await simulator.close();
    }
    records = readFileSync(path.join(dir, 'out/results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SampleRecord);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('records the tool calls the server sent, with their arguments', () => {
    const sent = answered.flatMap((t) => t.results.map((r) => JSON.stringify((r.toolCalls ?? []).map((c) => [c.name, c.arguments])))).sort();
    const recorded = records.map((r) => JSON.stringify(r.toolCalls!.map((c) => [c.name, c.arguments]))).sort();
    expect(recorded).toEqual(sent);
    expect(records.some((r) => r.toolCalls!.length > 0)).toBe(true);
  });

  it("gives every sample the verdict the suites imply: call counts, the tool's schema, a given schema, no call, the suite's jsonSchema", () => {
    expect(records).toHaveLength(11);
    const expected = answered
      .flatMap((t) => t.results.map((r) => [t.messages.at(-1)!.content.includes('Paris') ? 'paris' : t.messages.at(-1)!.content.includes('Thanks') ? 'thanks' : 'refund', r] as const))
      .map(([kase, r]) => `${kase}:${shouldPass(kase, r)}`)
      .sort();
    expect(records.map((r) => `${r.case}:${r.pass}`).sort()).toEqual(expected);
    expect(expected.some((e) => e.endsWith('false'))).toBe(true);
    expect(expected.some((e) => e.endsWith('true'))).toBe(true);
  });

  it("checks structured output against the suite's own jsonSchema, without repeating it", () => {
    const tickets = records.filter((r) => r.suite === 'ticket-json');
    expect(tickets).toHaveLength(3);
    for (const r of tickets) expect(r.assertions[0]!.message).toMatch(/valid against suite jsonSchema \(inline schema\)/);
  });
});
