import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { DEFAULT_MODELS } from '../../src/config/default-models.js';
import { ModelTable } from '../../src/config/model-table.js';
import { loadScenarios } from '../../src/simulator/scenario.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/simulator-server.js';
import { memoryIo } from '../support/memory-io.js';

const CANARY = 'rw-canary-5f1e7c2a9b3d4e6f';
const fixture = path.resolve(import.meta.dirname, '../fixtures/projects/sentiment');

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}

/** The tasks of a request body, or none when it is not a JSON array of objects. */
function tasksOf(body: string): { taskType?: string; taskUUID?: string; deliveryMethod?: string }[] {
  try {
    const parsed: unknown = JSON.parse(body);
    return Array.isArray(parsed) ? parsed.filter((t): t is Record<string, string> => t !== null && typeof t === 'object') : [];
  } catch {
    return [];
  }
}

/**
 * A server that quotes the credentials it got back in every answer: a 401 body and a 500 (retried until
 * the attempts run out) for sync requests and dry runs; an error event in the middle of a stream; for
 * async tasks, an acknowledgement, then a getResponse answer whose result errored with the quote.
 */
function startEchoServer(): Promise<Server> {
  let calls = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const quote = `got ${req.headers.authorization} at ${req.url}`;
      const tasks = tasksOf(body);
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (tasks.length > 0 && tasks.every((t) => t.deliveryMethod === 'stream')) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const events = [{ taskUUID: tasks[0]!.taskUUID, delta: { text: 'Positive' } }, { errors: [{ code: 'serverError', message: quote }] }];
        res.end(events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join(''));
      } else if (tasks.length > 0 && tasks.every((t) => t.deliveryMethod === 'async')) {
        json(200, { data: tasks.map((t) => ({ taskType: 'textInference', taskUUID: t.taskUUID, status: 'processing' })) });
      } else if (tasks.length > 0 && tasks.every((t) => t.taskType === 'getResponse')) {
        json(200, { data: tasks.map((t) => ({ taskUUID: t.taskUUID, status: 'error', error: { code: 'serverError', message: quote } })) });
      } else {
        const status = ++calls % 2 ? 401 : 500;
        json(status, { errors: [{ code: status === 401 ? 'invalidApiKey' : 'serverError', message: quote }] });
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** A copy of the sentiment suite under `delivery/`, named and delivered `method`. */
function writeDeliverySuite(dir: string, method: 'stream' | 'async'): string {
  const suite = readFileSync(path.join(dir, 'evals/sentiment.yaml'), 'utf8').replace('suite: sentiment\n', `suite: sentiment-${method}\ndeliveryMethod: ${method}\n`);
  mkdirSync(path.join(dir, 'delivery'), { recursive: true });
  writeFileSync(path.join(dir, 'delivery', `${method}.yaml`), suite);
  return `delivery/${method}.yaml`;
}

/**
 * With the API key set to a canary, every command is run, including against a server that echoes the
 * key back in its answers (sync, stream, async and dry run); every byte printed and every file written
 * is searched for it.
 */
describe('the API key never leaves the request', () => {
  let dir: string;
  let simulator: RunningSimulator;
  let echo: Server;
  let echoUrl: string;
  const printed: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'evalgate-secrets-'));
    cpSync(fixture, dir, { recursive: true });
    // Async runs poll fast, so that the echoed getResponse errors come quickly.
    appendFileSync(path.join(dir, 'evalconfig.yaml'), 'polling: {firstDelayMs: 5, factor: 1.5, maxDelayMs: 20, deadlineMs: 2000}\n');
    simulator = await startSimulator({ seed: 1, scenarios: await loadScenarios(path.join(dir, 'scenarios'), dir), models: new ModelTable(DEFAULT_MODELS), latencyScale: 0, apiKey: CANARY });
    echo = await startEchoServer();
    echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    await simulator.close();
    await new Promise((resolve) => echo.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (argv: string[], env: Record<string, string> = {}) => {
    const io = memoryIo({ cwd: dir, env: { RUNWARE_API_KEY: CANARY, ...env } });
    const code = await runCli(argv, io);
    printed.push(io.out(), io.err());
    return code;
  };

  it('runs every command with the canary key set', async () => {
    expect(await run(['--version'])).toBe(0);
    expect(await run(['--help'])).toBe(0);
    expect(await run(['validate'])).toBe(0);
    expect(await run(['run', '--provider', 'runware', '--out', 'ok', '--record', 'tape'], { RUNWARE_API_URL: simulator.url })).not.toBe(2);
    expect(await run(['run', '--provider', 'replay', '--cassettes', 'tape', '--out', 'replayed'])).not.toBe(2);
    expect(await run(['run', '--provider', 'runware', '--out', 'echoed'], { RUNWARE_API_URL: echoUrl })).toBe(3);
    expect(await run(['run', '--resume', 'echoed'], { RUNWARE_API_URL: echoUrl })).toBe(3);
    expect(await run(['run', '--provider', 'simulator', '--out', 'simulated'])).not.toBe(2);
    expect(await run(['run', '--provider', 'runware', '--out', 'bad-url'], { RUNWARE_API_URL: `http://user:${CANARY}@` })).toBe(2);
    // Against the echoing server, streamed and async: the quote comes back mid-stream and in a polled result.
    expect(await run(['run', writeDeliverySuite(dir, 'stream'), '--provider', 'runware', '--out', 'echoed-stream'], { RUNWARE_API_URL: echoUrl })).toBe(3);
    expect(await run(['run', writeDeliverySuite(dir, 'async'), '--provider', 'runware', '--out', 'echoed-async'], { RUNWARE_API_URL: echoUrl })).toBe(3);
    // Estimates, one of them sending the key to the echoing server's dry run.
    expect(await run(['estimate', '--out', 'estimate'])).toBe(0);
    expect(await run(['estimate', '--history', 'ok', '--traffic', '1000/day', '--out', 'estimate-history'])).toBe(0);
    expect(await run(['estimate', '--exact', '--out', 'estimate-exact'], { RUNWARE_API_URL: echoUrl })).toBe(3);
    // Everything that reads runs back.
    expect(await run(['report', 'ok'])).not.toBe(2);
    expect(await run(['report', 'echoed'])).toBe(3);
    expect(await run(['compare', 'ok', 'simulated'])).toBe(0);
    expect(await run(['compare', 'ok', 'replayed', '--json'])).toBe(0);
    expect(await run(['run', '--provider', 'simulator', '--shard', '1/2', '--out', 'shard-1'])).not.toBe(2);
    expect(await run(['run', '--provider', 'simulator', '--shard', '2/2', '--out', 'shard-2'])).not.toBe(2);
    expect(await run(['merge', 'shard-1', 'shard-2', '--out', 'merged'])).not.toBe(2);
    expect(await run(['baseline', 'save', 'simulated', '--to', 'baseline'])).toBe(0);
    expect(await run(['run', '--provider', 'simulator', '--baseline', 'baseline', '--out', 'gated'])).not.toBe(2);
    expect(await run(['advise', '--drop', '0.1', 'ok'])).toBe(0);
    const simulate = memoryIo({ cwd: dir, env: { RUNWARE_API_KEY: CANARY } });
    const serving = runCli(['simulate', '--port', '0'], simulate);
    await new Promise((r) => setTimeout(r, 200));
    simulate.interrupt();
    expect(await serving).toBe(0);
    printed.push(simulate.out(), simulate.err());
    const initDir = mkdtempSync(path.join(dir, 'init-'));
    const init = memoryIo({ cwd: initDir, env: { RUNWARE_API_KEY: CANARY } });
    expect(await runCli(['init'], init)).toBe(0);
    printed.push(init.out(), init.err());
  }, 60_000);

  it('finds the echoed key redacted in the errors it recorded, sync, streamed and async, and in the dry run\'s failure', () => {
    const lines = readFileSync(path.join(dir, 'echoed', 'results.jsonl'), 'utf8');
    expect(lines).toContain('[redacted]');
    expect(lines).toContain('INVALID_API_KEY');
    for (const run of ['echoed-stream', 'echoed-async']) {
      const records = readFileSync(path.join(dir, run, 'results.jsonl'), 'utf8');
      expect(records, run).toContain('got Bearer [redacted] at /v1');
    }
    expect(printed.join('\n')).toMatch(/dry runs failed; nothing was run or charged\. First: .*got Bearer \[redacted\]/);
  });

  it('finds the canary nowhere: not printed, not in any file written', () => {
    const hits = printed.filter((text) => text.includes(CANARY)).length;
    expect(hits).toBe(0);
    const files = filesUnder(dir);
    expect(files.length).toBeGreaterThan(10);
    let fileBytes = 0;
    const leaking = files.filter((file) => {
      const bytes = readFileSync(file);
      fileBytes += bytes.length;
      return bytes.includes(CANARY);
    });
    const printedBytes = printed.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
    console.log(`canary scan: ${files.length} files (${fileBytes} bytes) and ${printedBytes} bytes printed by ${printed.length / 2} commands, ${leaking.length + hits} hits`);
    expect(fileBytes).toBeGreaterThan(0);
    expect(printedBytes).toBeGreaterThan(0);
    expect(leaking).toEqual([]);
  });
});
