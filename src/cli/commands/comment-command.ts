import { existsSync } from 'node:fs';
import path from 'node:path';
import { latestRunDir } from '../../run/latest-run.js';
import { displayPath } from '../../config/display-path.js';
import { EvalgateError, ExitCode } from '../../core/evalgate-error.js';
import { githubRunUrl, githubTarget, githubThread } from '../../publish/github-thread.js';
import { gitlabTarget, gitlabThread } from '../../publish/gitlab-thread.js';
import { upsertComment, type CommentThread } from '../../publish/upsert-comment.js';
import { GITHUB_COMMENT_MAX_CHARS, GITLAB_NOTE_MAX_CHARS, PR_COMMENT_MARKER, renderPrComment } from '../../reporters/render-pr-comment.js';
import { readRunSummary } from '../../run/read-baseline.js';
import type { CliIo } from '../cli-io.js';
import type { CommentArgs } from '../cli-options.js';
import { loadCommandConfig } from './load-command-config.js';

/**
 * `evalgate comment --github|--gitlab [run dir]`: posts a run's verdict to the pull request (or merge
 * request) as one comment, found again by a hidden marker and updated by later runs. Reads the code
 * host's variables (GITHUB_*, CI_*, GITLAB_TOKEN) here and nowhere else; they never change a run.
 */
export async function commentCommand(args: CommentArgs, io: CliIo): Promise<number> {
  if (args.github === args.gitlab) throw new EvalgateError('USAGE', 'give one of --github or --gitlab');
  const runDir = await resolveRunDir(args, io);
  const summary = readRunSummary(runDir, io.cwd, 'comment');

  let thread: CommentThread;
  let where: string;
  let maxChars: number;
  let pointer: string;
  if (args.github) {
    const target = githubTarget(io.env);
    if ('skip' in target) return skipped(target.skip, io);
    thread = githubThread(target);
    where = `pull request #${target.number} of ${target.repository}`;
    maxChars = GITHUB_COMMENT_MAX_CHARS;
    const runUrl = githubRunUrl(io.env);
    pointer = runUrl ? `Full report: the \`${args.artifact}\` artefact of [this workflow run](${runUrl}) (report.html, summary.json, results.jsonl).` : `Full report: the \`${args.artifact}\` artefact of this workflow run.`;
  } else {
    const target = gitlabTarget(io.env);
    if ('skip' in target) return skipped(target.skip, io);
    thread = gitlabThread(target);
    where = `merge request !${target.iid}`;
    maxChars = GITLAB_NOTE_MAX_CHARS;
    const jobUrl = io.env.CI_JOB_URL;
    pointer = jobUrl ? `Full report: [the job's artefacts](${jobUrl}/artifacts/browse) (report.html, summary.json, results.jsonl).` : "Full report: the job's artefacts.";
  }
  const body = renderPrComment(summary, { maxChars, reportPointer: pointer });
  const result = await upsertComment(thread, PR_COMMENT_MARKER, body);
  io.stdout.write(`${result.action} the evalgate comment on ${where} (${body.length.toLocaleString('en-US')} characters, run ${summary.runId})\n`);
  return ExitCode.ok;
}

function skipped(reason: string, io: CliIo): number {
  io.stdout.write(`${reason}\n`);
  return ExitCode.ok;
}

async function resolveRunDir(args: CommentArgs, io: CliIo): Promise<string> {
  if (args.runDir !== undefined) return path.resolve(io.cwd, args.runDir);
  const config = await loadCommandConfig(args, io);
  const latest = latestRunDir(path.resolve(config.rootDir, config.outDir));
  if (!existsSync(latest)) throw new EvalgateError('USAGE', `no run folder given and ${displayPath(latest, io.cwd)} does not exist`, { hint: 'give the run folder: evalgate comment --github merged' });
  return latest;
}
