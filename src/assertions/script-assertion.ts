import type { ResolvedScriptAssertion } from '../config/loaded-suite.js';
import type { ScriptContext, ScriptVerdict } from '../config/script-check.js';
import { CheckError, sanitizeDetail, type DeferredAssertion } from './assertion.js';

/** Longest one script call may take unless the assertion says otherwise. */
export const DEFAULT_SCRIPT_TIMEOUT_MS = 10_000;

/** Who the script is checking: the case, for its context. */
export interface ScriptSubject {
  suite: string;
  caseId: string;
  vars: Readonly<Record<string, string | number | boolean>>;
}

/**
 * `script`: the user's function decides. Its boolean, or `{pass, score?, reason?}`, becomes the
 * outcome; a throw, a rejection, a verdict of another shape or a call past `timeoutMs` errors the
 * sample (SCRIPT_ERROR) with the message. The timeout bounds waiting: a function that never returns
 * control (a synchronous endless loop) cannot be interrupted in-process.
 */
export function compileScriptAssertion(spec: ResolvedScriptAssertion, subject: ScriptSubject): DeferredAssertion {
  const timeoutMs = spec.timeoutMs ?? DEFAULT_SCRIPT_TIMEOUT_MS;
  return {
    type: 'script',
    isDeferred: true,
    async check(sample) {
      const context: ScriptContext = {
        suite: subject.suite,
        caseId: subject.caseId,
        vars: subject.vars,
        finishReason: sample.finishReason,
        usage: sample.usage,
        toolCalls: sample.toolCalls,
        costUsd: sample.costUsd,
      };
      let timer: NodeJS.Timeout | undefined;
      let verdict: ScriptVerdict;
      try {
        verdict = await Promise.race([
          Promise.resolve().then(() => spec.fn(sample.text, context)),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new CheckError('SCRIPT_ERROR', `${spec.label} did not answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
      } catch (error) {
        if (error instanceof CheckError) throw error;
        throw new CheckError('SCRIPT_ERROR', `${spec.label} threw: ${sanitizeDetail(error instanceof Error ? error.message : String(error))}`);
      } finally {
        clearTimeout(timer);
      }
      if (typeof verdict === 'boolean') return { type: 'script', pass: verdict, message: `${spec.label} returned ${verdict}` };
      if (verdict === null || typeof verdict !== 'object' || typeof verdict.pass !== 'boolean') {
        throw new CheckError('SCRIPT_ERROR', `${spec.label} returned ${sanitizeDetail(JSON.stringify(verdict) ?? String(verdict), 80)}; expected a boolean or {pass, score?, reason?}`);
      }
      const score = typeof verdict.score === 'number' ? ` (score ${verdict.score})` : '';
      const reason = typeof verdict.reason === 'string' && verdict.reason !== '' ? `: ${sanitizeDetail(verdict.reason)}` : '';
      return { type: 'script', pass: verdict.pass, message: `${spec.label} ${verdict.pass ? 'passed' : 'failed'}${score}${reason}` };
    },
  };
}
