import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { DEFAULT_MODELS, ModelTable } from '../../src/config/model-table.js';
import { loadScenarios } from '../../src/providers/simulator/scenario.js';
import { startSimulator, type RunningSimulator } from '../../src/providers/simulator/simulator-server.js';
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

/**
 * With the API key set to a canary, every command is run, including against a server that echoes the
 * key back in its error messages; every byte printed and every file written is searched for it.
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
    simulator = await startSimulator({ seed: 1, scenarios: await loadScenarios(path.join(dir, 'scenarios'), dir), models: new ModelTable(DEFAULT_MODELS), latencyScale: 0, apiKey: CANARY });
    // A server that quotes the credentials it got, in a 401 body and in a 500 retried until it gives up.
    let calls = 0;
    echo = createServer((req, res) => {
      calls++;
      const status = calls % 2 ? 401 : 500;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: status === 401 ? 'invalidApiKey' : 'serverError', message: `got ${req.headers.authorization} at ${req.url}` }] }));
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
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
  });

  it('finds the echoed key redacted in the errors it recorded', () => {
    const lines = readFileSync(path.join(dir, 'echoed', 'results.jsonl'), 'utf8');
    expect(lines).toContain('[redacted]');
    expect(lines).toContain('INVALID_API_KEY');
  });

  it('finds the canary nowhere: not printed, not in any file written', () => {
    const hits = printed.filter((text) => text.includes(CANARY)).length;
    expect(hits).toBe(0);
    const files = filesUnder(dir);
    expect(files.length).toBeGreaterThan(10);
    const leaking = files.filter((file) => readFileSync(file).includes(CANARY));
    expect(leaking).toEqual([]);
  });
});
