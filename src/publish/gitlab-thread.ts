import { EvalgateError } from '../core/evalgate-error.js';
import { sendCodeHostRequest } from './code-host-http.js';
import type { CommentThread, HostedComment } from './upsert-comment.js';

/** The variables a GitLab CI job sets (and the token you add) that `evalgate comment --gitlab` reads. */
export interface GitlabEnv {
  CI_API_V4_URL?: string | undefined;
  CI_PROJECT_ID?: string | undefined;
  CI_MERGE_REQUEST_IID?: string | undefined;
  CI_JOB_URL?: string | undefined;
  /** A project or personal access token with the `api` scope (a masked CI/CD variable). */
  GITLAB_TOKEN?: string | undefined;
}

/** A merge request to comment on, or why there is none (a branch pipeline). */
export type GitlabTarget = { apiUrl: string; projectId: string; iid: string; token: string } | { skip: string };

export function gitlabTarget(env: GitlabEnv): GitlabTarget {
  if (!env.CI_MERGE_REQUEST_IID) return { skip: 'this pipeline is not a merge request pipeline (no CI_MERGE_REQUEST_IID): no note to post' };
  if (!env.CI_API_V4_URL || !env.CI_PROJECT_ID) throw new EvalgateError('USAGE', '--gitlab needs CI_API_V4_URL and CI_PROJECT_ID (set by GitLab CI)');
  const token = env.GITLAB_TOKEN?.trim();
  if (!token) {
    throw new EvalgateError('USAGE', '--gitlab needs GITLAB_TOKEN; nothing was posted', { hint: 'add a project access token with the api scope as a masked CI/CD variable GITLAB_TOKEN' });
  }
  return { apiUrl: env.CI_API_V4_URL.replace(/\/+$/, ''), projectId: env.CI_PROJECT_ID, iid: env.CI_MERGE_REQUEST_IID, token };
}

/** A merge request's notes through GitLab's REST API. */
export function gitlabThread(target: Extract<GitlabTarget, { token: string }>): CommentThread {
  const base = `${target.apiUrl}/projects/${encodeURIComponent(target.projectId)}/merge_requests/${encodeURIComponent(target.iid)}/notes`;
  const headers = { 'private-token': target.token };
  const send = async (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => sendCodeHostRequest({ method, url, headers, body, secret: target.token });
  const asNote = (value: unknown): HostedComment => {
    const n = value as { id?: unknown; body?: unknown };
    return { id: Number(n.id), body: typeof n.body === 'string' ? n.body : '' };
  };
  return {
    list: async (page, perPage) => ((await send('GET', `${base}?sort=asc&order_by=created_at&per_page=${perPage}&page=${page}`)) as unknown[]).map(asNote),
    create: async (body) => asNote(await send('POST', base, { body })),
    update: async (id, body) => asNote(await send('PUT', `${base}/${id}`, { body })),
  };
}
