import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { JudgeCall, JudgeReply } from '../assertions/judge-gateway.js';
import { JUDGE_PROMPT_VERSION } from '../assertions/judge-prompt.js';

/** A verdict as cached: the judge's answer, and what it cost when it was paid for. */
interface CachedVerdict {
  text: string;
  finishReason: JudgeReply['finishReason'];
  usage: JudgeReply['usage'];
  costUsd: number | null;
}

/**
 * Verdicts on disk, one small JSON file each, keyed by a hash of everything that shapes the verdict:
 * the judge model and its settings, the prompt version, the rendered prompt (rubric, reference,
 * conversation, candidate text and tool calls) and the verdict index. A rerun or a rescore asks the
 * same question and gets the same verdict without paying for it again. No secret is part of a key.
 */
export class JudgeCache {
  constructor(readonly dir: string) {}

  static keyOf(call: JudgeCall): string {
    const { request, verdictIndex } = call;
    const content = JSON.stringify([
      JUDGE_PROMPT_VERSION, request.model, request.thinkingLevel, request.maxTokens, request.systemPrompt ?? null, request.messages, request.jsonSchema ?? null, verdictIndex,
    ]);
    return createHash('sha256').update(content).digest('hex');
  }

  get(call: JudgeCall): JudgeReply | undefined {
    try {
      const cached = JSON.parse(readFileSync(this.fileOf(JudgeCache.keyOf(call)), 'utf8')) as CachedVerdict;
      if (typeof cached.text !== 'string') return undefined;
      return { text: cached.text, finishReason: cached.finishReason, usage: cached.usage, costUsd: 0, cached: true };
    } catch {
      return undefined;
    }
  }

  /** Stores a verdict; a cache that cannot be written is skipped, never an error of the run. */
  set(call: JudgeCall, reply: JudgeReply): void {
    const file = this.fileOf(JudgeCache.keyOf(call));
    const entry: CachedVerdict = { text: reply.text, finishReason: reply.finishReason, usage: reply.usage, costUsd: reply.costUsd };
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(entry));
      renameSync(temp, file);
    } catch {
      // A read-only or full disk loses the cache, not the run.
    }
  }

  private fileOf(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }
}
