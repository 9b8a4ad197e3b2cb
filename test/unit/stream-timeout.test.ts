import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AttemptOutcome, SendOptions } from '../../src/providers/provider.js';
import { RunwareProvider } from '../../src/providers/runware/runware-provider.js';
import { makeTrial } from '../support/builders.js';

// MockAgent answers a body at once, so the pace of a stream needs a real (local) server. Times are
// kept small: a 150 ms request timeout against chunks 40 ms apart.
const TIMEOUT_MS = 150;
const GAP_MS = 40;

const event = (body: unknown) => `data: ${JSON.stringify(body)}\n\n`;
type Pace = (res: ServerResponse, taskUUID: string) => void;

/** Writes `chunks` events `GAP_MS` apart, then the final chunk and [DONE] unless `stallAfter` stops it. */
function paced(chunks: number, options: { stallAfter?: number } = {}): Pace {
  return (res, taskUUID) => {
    const base = { taskUUID, taskType: 'textInference' };
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    let sent = 0;
    const next = () => {
      if (options.stallAfter !== undefined && sent >= options.stallAfter) return; // nothing more, connection held open
      if (sent === chunks) {
        res.end(event({ ...base, delta: {}, finishReason: 'stop', usage: { promptTokens: 1, completionTokens: chunks, totalTokens: chunks + 1 } }) + 'data: [DONE]\n\n');
        return;
      }
      res.write(event({ ...base, delta: { text: `${sent} ` }, finishReason: null }));
      sent++;
      setTimeout(next, GAP_MS);
    };
    next();
  };
}

let server: Server;
let provider: RunwareProvider;
let pace: Pace;
beforeEach(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => pace(res, (JSON.parse(body) as { taskUUID: string }[])[0]!.taskUUID));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  provider = new RunwareProvider({ apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, apiKey: 'k', connections: 1 });
});
afterEach(async () => {
  await provider.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const send = (options: Partial<SendOptions> = {}): Promise<AttemptOutcome> =>
  provider.send({ ...makeTrial().request, deliveryMethod: 'stream' }, { signal: new AbortController().signal, timeoutMs: TIMEOUT_MS, ...options });

describe('a stream times out on silence, not on length', () => {
  it('completes a slow but steady stream that lasts several request timeouts', async () => {
    pace = paced(12); // ~480 ms in all, never more than 40 ms without a chunk
    const outcome = await send();
    expect(outcome.failure).toBeUndefined();
    expect(outcome.results[0]!.text).toBe('0 1 2 3 4 5 6 7 8 9 10 11 ');
    expect(outcome.latencyMs).toBeGreaterThan(3 * TIMEOUT_MS);
  });

  it('times out a stream that stalls midway with REQUEST_TIMEOUT, retryable, saying it stalled', async () => {
    pace = paced(12, { stallAfter: 3 });
    const outcome = await send();
    expect(outcome.results).toEqual([]);
    expect(outcome.failure).toMatchObject({ code: 'REQUEST_TIMEOUT', isRetryable: true });
    expect(outcome.failure!.message).toMatch(/^nothing arrived for 150 ms/);
  });

  it("cuts a steady stream at what is left of the trial's deadline", async () => {
    pace = paced(12);
    const outcome = await send({ streamDeadlineMs: 200 });
    expect(outcome.failure).toMatchObject({ code: 'REQUEST_TIMEOUT', isRetryable: true });
    expect(outcome.failure!.message).toContain("the stream was still arriving when the trial's deadline came, 200 ms after this attempt started");
  });
});
