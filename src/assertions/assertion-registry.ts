import type { AssertionType } from '../config/assertion-spec-schema.js';
import type { ResolvedAssertion } from '../config/loaded-suite.js';
import type { Assertion } from './assertion.js';
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

/** What compiling needs beyond the spec: the run's bounded regex runner. */
export interface CompileContext {
  regex: RegexRunner;
}

type Compilers = { [T in AssertionType]: (spec: Extract<ResolvedAssertion, { type: T }>, context: CompileContext) => Assertion };

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
};

/** Compiles one resolved assertion into its check. */
export function compileAssertion(spec: ResolvedAssertion, context: CompileContext): Assertion {
  const compile = COMPILERS[spec.type] as (spec: ResolvedAssertion, context: CompileContext) => Assertion;
  return compile(spec, context);
}
