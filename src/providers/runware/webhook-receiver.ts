import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookInbox } from './webhook-inbox.js';
import { readRequestBody } from '../../core/read-request-body.js';

/** Where the webhook receiver listens, and the address Runware reaches it at. */
export interface WebhookReceiverOptions {
  /** Address to listen on. */
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The URL Runware reaches the receiver at (a tunnel, a CI runner's address); default `http://host:port`. */
  publicUrl?: string;
}

/** What the receiver has seen, for tests and the end of a run. */
export interface WebhookStats {
  /** Results filed for a task that expected them. */
  accepted: number;
  /** The same result POSTed again (Runware retries deliveries not answered 2xx). */
  duplicates: number;
  /** Requests refused: no token, a wrong token, not a POST. */
  rejected: number;
  /** Results for no task expecting them (late ones, after polling took over), and bodies that are not results. */
  ignored: number;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * `--webhook-listen`: an HTTP server Runware POSTs async results to. Every URL it hands out carries a
 * per-run secret token (`…/webhook/<token>`); a request without it is refused with 401. Each accepted
 * POST is answered 200 as soon as its body is read, then filed in the inbox, de-duplicated by
 * taskUUID and result. The token is a secret: use `redact` on anything that might show the URL.
 */
export class WebhookReceiver {
  readonly inbox: WebhookInbox;
  readonly stats: WebhookStats = { accepted: 0, duplicates: 0, rejected: 0, ignored: 0 };

  private constructor(
    private readonly server: Server,
    private readonly token: string,
    /** The webhookURL sent with every async task (it carries the token: a secret). */
    readonly url: string,
  ) {
    this.inbox = new WebhookInbox((text) => this.redact(text));
  }

  /** Starts listening. Throws when the address cannot be bound (the caller says how to fix it). */
  static async start(options: WebhookReceiverOptions): Promise<WebhookReceiver> {
    const token = randomBytes(24).toString('base64url');
    let receiver: WebhookReceiver | undefined;
    const server = createServer((req, res) => {
      const answered = receiver ? receiver.answer(req) : Promise.resolve(503);
      void answered.then((status) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(status === 200 ? '{"ok":true}' : '{"ok":false}');
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const base = (options.publicUrl ?? `http://${host}:${address.port}`).replace(/\/+$/, '');
    receiver = new WebhookReceiver(server, token, `${base}/webhook/${token}`);
    return receiver;
  }

  /** The address it listens on, without the token (safe to print). */
  get address(): string {
    const address = this.server.address() as AddressInfo | null;
    return address ? `${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}` : 'closed';
  }

  /** Replaces the token in `text` (a URL in an error message, say). */
  redact(text: string): string {
    return text.split(this.token).join('[token]');
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Reads one request and returns the status to answer with. */
  private async answer(req: IncomingMessage): Promise<number> {
    if (req.method !== 'POST' || !this.hasToken(req.url ?? '')) {
      this.stats.rejected++;
      req.resume();
      return req.method !== 'POST' ? 405 : 401;
    }
    const body = await readRequestBody(req, MAX_BODY_BYTES);
    if (body === undefined) {
      this.stats.ignored++;
      return 413;
    }
    // Answer first, file after: Runware only needs to know the delivery arrived.
    setImmediate(() => {
      for (const arrival of this.inbox.receive(body)) {
        if (arrival === 'accepted') this.stats.accepted++;
        else if (arrival === 'duplicate') this.stats.duplicates++;
        else this.stats.ignored++;
      }
    });
    return 200;
  }

  /** The path ends `/webhook/<token>` (a proxy in front may add a prefix), compared in constant time. */
  private hasToken(url: string): boolean {
    const path = url.split('?')[0] ?? '';
    const match = /\/webhook\/([^/]+)$/.exec(path);
    if (!match) return false;
    const given = Buffer.from(match[1]!);
    const expected = Buffer.from(this.token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

