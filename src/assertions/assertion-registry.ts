import type { AssertionType } from '../config/assertion-spec-schema.js';
import type { ResolvedAssertion } from '../config/loaded-suite.js';
import { isDeferred, type Assertion, type CompiledAssertion, type DeferredAssertion } from './assertion.js';
import { compileScriptAssertion, type ScriptSubject } from './script-assertion.js';
import { compileJudgeAssertion } from './judge-assertion.js';
import type { JudgeGateway } from './judge-gateway.js';
import type { Message } from '../core/runware-limits.js';
import { compileContainsAssertion } from './contains-assertion.js';
import { compileCostAssertion } from './cost-assertion.js';
import { compileEqualsAssertion } from './equals-assertion.js';
import { compileJsonFieldAssertion } from './json-field-assertion.js';
import { compileFinishReasonAssertion } from './finish-reason-assertion.js';
import { compileIsJsonAssertion } from './is-json-assertion.js';
import { compileJsonSchemaAssertion } from './json-schema-assertion.js';
import { compileLatencyAssertion } from './latency-assertion.js';
import { compileRegexAssertion } from './regex-assertion.js';
import type { RegexRunner } from './regex-runner.js';
import { compileTokensAssertion } from './tokens-assertion.js';
import { compileToolCallAssertion } from './tool-call-assertion.js';

/** What compiling needs beyond the spec: the run's bounded regex runner, and the case the checks are for. */
export interface CompileContext {
  regex: RegexRunner;
  /** The case (for a script's context). @default an anonymous case without variables */
  subject?: ScriptSubject;
  /** Where judge requests go; required when a case has a judge assertion. */
  judge?: JudgeGateway;
  /** The conversation the answers reply to, shown to a judge. @default none */
  conversation?: readonly Message[];
}

type Compilers = { [T in AssertionType]: (spec: Extract<ResolvedAssertion, { type: T }>, context: CompileContext) => CompiledAssertion };

/** Every assertion type and its compiler. Exhaustive: a new type in the schema fails the type check here. */
const COMPILERS: Compilers = {
  regex: (spec, context) => compileRegexAssertion(spec, context.regex),
  contains: compileContainsAssertion,
  isJson: compileIsJsonAssertion,
  jsonSchema: compileJsonSchemaAssertion,
  finishReason: compileFinishReasonAssertion,
  tokens: compileTokensAssertion,
  costUsd: compileCostAssertion,
  latencyMs: compileLatencyAssertion,
  toolCall: compileToolCallAssertion,
  equals: compileEqualsAssertion,
  jsonField: (spec, context) => compileJsonFieldAssertion(spec, context.regex),
  judge: (spec, context) => {
    if (!context.judge) throw new Error('a judge assertion was compiled without a judge gateway');
    return compileJudgeAssertion(spec, context.judge, context.conversation ?? []);
  },
  script: (spec, context) => compileScriptAssertion(spec, context.subject ?? { suite: '', caseId: '', vars: {} }),
};

/** Compiles one resolved assertion into its check. */
export function compileAssertion(spec: ResolvedAssertion, context: CompileContext): CompiledAssertion {
  const compile = COMPILERS[spec.type] as (spec: ResolvedAssertion, context: CompileContext) => CompiledAssertion;
  return compile(spec, context);
}

/** A case's checks, compiled: the pure ones, run as each sample lands, and those to await after. */
export interface CompiledChecks {
  sync: Assertion[];
  deferred: DeferredAssertion[];
}

/** Compiles a case's assertions, keeping their order within each kind. */
export function compileChecks(specs: readonly ResolvedAssertion[], context: CompileContext): CompiledChecks {
  const checks: CompiledChecks = { sync: [], deferred: [] };
  for (const spec of specs) {
    const compiled = compileAssertion(spec, context);
    if (isDeferred(compiled)) checks.deferred.push(compiled);
    else checks.sync.push(compiled);
  }
  return checks;
}
