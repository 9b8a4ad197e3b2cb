import { readFileSync } from 'node:fs';
import { EvalgateError } from '../core/evalgate-error.js';
import { sendCodeHostRequest } from './code-host-http.js';
import type { CommentThread, HostedComment } from './upsert-comment.js';

/** The variables a GitHub Actions job sets that `evalgate comment --github` reads (and nothing else reads). */
export interface GithubEnv {
  GITHUB_TOKEN?: string | undefined;
  GITHUB_REPOSITORY?: string | undefined;
  GITHUB_EVENT_PATH?: string | undefined;
  GITHUB_API_URL?: string | undefined;
  GITHUB_SERVER_URL?: string | undefined;
  GITHUB_RUN_ID?: string | undefined;
}

/** A pull request to comment on, or why there is none (a push to main: nothing to comment on). */
export type GithubTarget = { apiUrl: string; repository: string; number: number; token: string } | { skip: string };

/** Reads the pull request from the job's environment; a missing token or repository is a usage error. */
export function githubTarget(env: GithubEnv): GithubTarget {
  const eventPath = env.GITHUB_EVENT_PATH;
  if (!eventPath) throw new EvalgateError('USAGE', '--github needs GITHUB_EVENT_PATH (set by GitHub Actions)', { hint: 'run it in a GitHub Actions job, or set the variables as a job would' });
  let event: { pull_request?: { number?: unknown }; issue?: { number?: unknown; pull_request?: unknown } };
  try {
    event = JSON.parse(readFileSync(eventPath, 'utf8')) as typeof event;
  } catch {
    throw new EvalgateError('USAGE', `GITHUB_EVENT_PATH ${eventPath} is not a readable JSON file`);
  }
  const number = event.pull_request?.number ?? (event.issue?.pull_request ? event.issue.number : undefined);
  if (typeof number !== 'number') return { skip: 'this job did not run for a pull request: no comment to post' };
  const repository = env.GITHUB_REPOSITORY ?? '';
  if (!/^[\w.-]+\/[\w.-]+$/.test(repository)) throw new EvalgateError('USAGE', '--github needs GITHUB_REPOSITORY as owner/name');
  const token = env.GITHUB_TOKEN?.trim();
  if (!token) {
    throw new EvalgateError('USAGE', '--github needs GITHUB_TOKEN; nothing was posted', { hint: 'env: {GITHUB_TOKEN: ${{ github.token }}} with permissions: pull-requests: write' });
  }
  return { apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''), repository, number, token };
}

/** Where the job's artefacts are listed: the workflow run's page. */
export function githubRunUrl(env: GithubEnv): string | undefined {
  if (!env.GITHUB_SERVER_URL || !env.GITHUB_REPOSITORY || !env.GITHUB_RUN_ID) return undefined;
  return `${env.GITHUB_SERVER_URL.replace(/\/+$/, '')}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
}

/** A pull request's comments through GitHub's REST API (issue comments). */
export function githubThread(target: Extract<GithubTarget, { token: string }>): CommentThread {
  const base = `${target.apiUrl}/repos/${target.repository}/issues`;
  const headers = { authorization: `Bearer ${target.token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' };
  const send = async (method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) => sendCodeHostRequest({ method, url, headers, body, secret: target.token });
  const asComment = (value: unknown): HostedComment => {
    const c = value as { id?: unknown; body?: unknown };
    return { id: Number(c.id), body: typeof c.body === 'string' ? c.body : '' };
  };
  return {
    list: async (page, perPage) => ((await send('GET', `${base}/${target.number}/comments?per_page=${perPage}&page=${page}`)) as unknown[]).map(asComment),
    create: async (body) => asComment(await send('POST', `${base}/${target.number}/comments`, { body })),
    update: async (id, body) => asComment(await send('PATCH', `${base}/comments/${id}`, { body })),
  };
}
