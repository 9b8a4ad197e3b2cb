import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fake code host received. */
export interface ReceivedCall {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/**
 * A local fake of the two code-host APIs `evalgate comment` talks to, on 127.0.0.1: GitHub's issue
 * comments (GET/POST /repos/:owner/:repo/issues/:n/comments, PATCH /repos/:owner/:repo/issues/comments/:id)
 * and GitLab's merge-request notes (GET/POST /projects/:id/merge_requests/:iid/notes, PUT …/notes/:id).
 * Comments live in memory, paginated as the real ones are; `refuse` answers every request with a status.
 */
export class FakeCodeHost {
  readonly calls: ReceivedCall[] = [];
  /** Comments (or notes) by thread: `owner/repo#n` or `project!iid`. */
  readonly threads = new Map<string, { id: number; body: string }[]>();
  refuse: { status: number; body: string } | undefined;
  private nextId = 1000;
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString('utf8')));
      req.on('end', () => {
        const body = text ? (JSON.parse(text) as unknown) : undefined;
        const url = new URL(req.url ?? '/', 'http://x');
        this.calls.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body });
        const [status, answer] = this.refuse ? [this.refuse.status, this.refuse.body] : this.answer(req.method ?? '', url, body as { body?: string } | undefined);
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(typeof answer === 'string' ? answer : JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Adds comments by others to a thread (to fill pages before evalgate's). */
  seed(thread: string, bodies: string[]): void {
    this.threads.set(thread, [...(this.threads.get(thread) ?? []), ...bodies.map((body) => ({ id: this.nextId++, body }))]);
  }

  private answer(method: string, url: URL, body: { body?: string } | undefined): [number, unknown] {
    const path = url.pathname;
    const github = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/.exec(path);
    const githubOne = /^\/repos\/([^/]+\/[^/]+)\/issues\/comments\/(\d+)$/.exec(path);
    const gitlab = /^\/api\/v4\/projects\/([^/]+)\/merge_requests\/(\d+)\/notes$/.exec(path);
    const gitlabOne = /^\/api\/v4\/projects\/([^/]+)\/merge_requests\/(\d+)\/notes\/(\d+)$/.exec(path);
    const list = github ? `${github[1]}#${github[2]}` : gitlab ? `${decodeURIComponent(gitlab[1]!)}!${gitlab[2]}` : undefined;
    if (list && method === 'GET') {
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const page = Number(url.searchParams.get('page') ?? 1);
      return [200, (this.threads.get(list) ?? []).slice((page - 1) * perPage, page * perPage)];
    }
    if (list && method === 'POST') {
      const comment = { id: this.nextId++, body: body?.body ?? '' };
      this.threads.set(list, [...(this.threads.get(list) ?? []), comment]);
      return [201, comment];
    }
    const one = githubOne && method === 'PATCH' ? Number(githubOne[2]) : gitlabOne && method === 'PUT' ? Number(gitlabOne[3]) : undefined;
    if (one !== undefined) {
      for (const comments of this.threads.values()) {
        const found = comments.find((c) => c.id === one);
        if (found) {
          found.body = body?.body ?? '';
          return [200, found];
        }
      }
      return [404, { message: 'Not Found' }];
    }
    return [404, { message: `no route ${method} ${path}` }];
  }
}
