import { afterEach, describe, expect, it } from 'vitest';
import { WebhookInbox } from '../../src/providers/runware/webhook-inbox.js';
import { WebhookReceiver } from '../../src/providers/runware/webhook-receiver.js';

const item = (taskUUID: string, text: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ taskType: 'textInference', taskUUID, status: 'success', text, finishReason: 'stop', cost: 0.001, ...extra });

describe('WebhookInbox', () => {
  it('files results by taskUUID and drops a repeated delivery of the same result', () => {
    const inbox = new WebhookInbox();
    inbox.expect('t1');
    expect(inbox.receive(item('t1', 'a'))).toEqual(['accepted']);
    expect(inbox.receive(item('t1', 'a'))).toEqual(['duplicate']);
    expect(inbox.receive(item('t1', 'b'))).toEqual(['accepted']);
    expect(inbox.state('t1').results.map((r) => r.text)).toEqual(['a', 'b']);
  });

  it('ignores results for tasks nobody expects, and bodies that are not results', () => {
    const inbox = new WebhookInbox();
    inbox.expect('t1');
    expect(inbox.receive(item('t2', 'late'))).toEqual(['unknown-task']);
    expect(inbox.receive('<html>')).toEqual(['unreadable']);
    inbox.forget('t1');
    expect(inbox.receive(item('t1', 'after polling took over'))).toEqual(['unknown-task']);
  });

  it('reads errored results with their code, and results wrapped in data or errors', () => {
    const inbox = new WebhookInbox();
    inbox.expect('t1');
    inbox.receive(JSON.stringify({ taskUUID: 't1', status: 'error', error: { code: 'timeoutProvider', message: 'slow' } }));
    inbox.receive(JSON.stringify({ data: [JSON.parse(item('t1', 'wrapped'))], errors: [{ taskUUID: 't1', code: 'contentPolicyViolation', message: 'no' }] }));
    const state = inbox.state('t1');
    expect(state.results.map((r) => r.text)).toEqual(['wrapped']);
    expect(state.erroredResults.map((f) => f.code)).toEqual(['PROVIDER_TIMEOUT', 'CONTENT_POLICY']);
  });

  it('resolves a wait once the task has all its results', async () => {
    const inbox = new WebhookInbox();
    inbox.expect('t1');
    let settled = false;
    const waiting = inbox.whenSettled('t1', 2, new AbortController().signal).then(() => (settled = true));
    inbox.receive(item('t1', 'a'));
    await Promise.resolve();
    expect(settled).toBe(false);
    inbox.receive(item('t1', 'b'));
    await waiting;
    expect(settled).toBe(true);
  });
});

describe('WebhookReceiver', () => {
  let receiver: WebhookReceiver | undefined;
  afterEach(async () => receiver?.close());

  it('hands out a URL with a per-run secret token, and files what is POSTed there, answering 200', async () => {
    receiver = await WebhookReceiver.start({ host: '127.0.0.1', port: 0 });
    expect(receiver.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhook\/[\w-]{32}$/);
    receiver.inbox.expect('t1');
    const response = await fetch(receiver.url, { method: 'POST', body: item('t1', 'hello') });
    expect(response.status).toBe(200);
    await new Promise((r) => setImmediate(r));
    expect(receiver.inbox.state('t1').results.map((r) => r.text)).toEqual(['hello']);
    expect(receiver.stats).toMatchObject({ accepted: 1, rejected: 0 });
  });

  it('refuses a request without the token, or with another one, and anything but POST', async () => {
    receiver = await WebhookReceiver.start({ host: '127.0.0.1', port: 0 });
    receiver.inbox.expect('t1');
    const base = receiver.url.replace(/\/webhook\/.*$/, '');
    expect((await fetch(`${base}/webhook/`, { method: 'POST', body: item('t1', 'x') })).status).toBe(401);
    expect((await fetch(`${base}/webhook/${'A'.repeat(32)}`, { method: 'POST', body: item('t1', 'x') })).status).toBe(401);
    expect((await fetch(base, { method: 'POST', body: item('t1', 'x') })).status).toBe(401);
    expect((await fetch(receiver.url)).status).toBe(405);
    expect(receiver.stats.rejected).toBe(4);
    expect(receiver.inbox.state('t1').results).toEqual([]);
  });

  it('builds the URL on --webhook-public-url, and accepts it behind a proxy path prefix', async () => {
    receiver = await WebhookReceiver.start({ host: '127.0.0.1', port: 0, publicUrl: 'https://tunnel.example.com/ci/' });
    expect(receiver.url).toMatch(/^https:\/\/tunnel\.example\.com\/ci\/webhook\/[\w-]{32}$/);
    receiver.inbox.expect('t1');
    const token = receiver.url.split('/').pop()!;
    expect((await fetch(`http://${receiver.address}/ci/webhook/${token}`, { method: 'POST', body: item('t1', 'via proxy') })).status).toBe(200);
    expect(receiver.redact(`POST ${receiver.url} failed`)).toBe('POST https://tunnel.example.com/ci/webhook/[token] failed');
  });
});
