import { describe, expect, it, vi } from 'vitest';
import { isWasmKeptAtBaseline, keepWasmAtBaseline } from '../../src/providers/runware/keep-wasm-at-baseline.js';
import { RunwareHttp } from '../../src/providers/runware/runware-http.js';
import { MockAgent } from 'undici';

describe('keepWasmAtBaseline', () => {
  it('is not set by a transport given its dispatcher, and is set once by one that makes its own, before any connection', async () => {
    const mock = new MockAgent();
    new RunwareHttp({ apiUrl: 'https://api.runware.ai/v1', apiKey: 'k', connections: 1, dispatcher: mock });
    expect(isWasmKeptAtBaseline()).toBe(false);
    const http = new RunwareHttp({ apiUrl: 'https://api.runware.ai/v1', apiKey: 'k', connections: 1 });
    expect(isWasmKeptAtBaseline()).toBe(true);
    const asked: string[] = [];
    keepWasmAtBaseline((flags) => asked.push(flags));
    expect(asked).toEqual([]);
    await http.close();
    await mock.close();
  });

  it("asks V8 for --liftoff-only, once", async () => {
    vi.resetModules();
    const fresh = await import('../../src/providers/runware/keep-wasm-at-baseline.js');
    const asked: string[] = [];
    fresh.keepWasmAtBaseline((flags) => asked.push(flags));
    fresh.keepWasmAtBaseline((flags) => asked.push(flags));
    expect(asked).toEqual(['--liftoff-only']);
    expect(fresh.isWasmKeptAtBaseline()).toBe(true);
  });
});
