import type { AssertionSpecOf } from './assertion-spec-schema.js';
import type { Diagnostic } from './diagnostic.js';
import type { DiagnosticSource } from './diagnostic-source.js';
import type { JudgeDefaults } from './judge-schema.js';
import type { ResolvedConfig } from './load-config.js';
import type { JudgeGrader } from './loaded-suite.js';
import { didYouMean } from './suggest.js';
import type { YamlPath } from './yaml-source.js';

/**
 * A judge assertion's grader and settings: each key from the assertion, else the suite's `judge:`,
 * else evalconfig.yaml's `judge:`. The model must be in the model table, take the level, and answer
 * JSON (the verdict is asked for as `outputFormat: JSON`). Problems are pinned to the assertion.
 */
export function resolveGrader(
  spec: AssertionSpecOf<'judge'>,
  suiteDefaults: JudgeDefaults | undefined,
  config: ResolvedConfig,
  source: DiagnosticSource,
  at: YamlPath,
  diagnostics: Diagnostic[],
): { grader: JudgeGrader; samples: number; threshold?: number } | undefined {
  const name = spec.model ?? suiteDefaults?.model ?? config.judge.model;
  const modelAt: YamlPath = spec.model !== undefined ? [...at, 'model'] : suiteDefaults?.model !== undefined ? ['judge', 'model'] : at;
  const entry = config.models.find(name);
  if (!entry) {
    diagnostics.push(
      source.diagnostic(modelAt, 'UNKNOWN_MODEL', `unknown judge model "${name}"`, {
        hint: didYouMean(name, config.models.names()) ?? `known: ${config.models.entries.map((m) => m.id).join(', ')}`,
      }),
    );
    return undefined;
  }
  const thinkingLevel = spec.thinkingLevel ?? suiteDefaults?.thinkingLevel ?? config.judge.thinkingLevel;
  const maxTokens = spec.maxTokens ?? suiteDefaults?.maxTokens ?? config.judge.maxTokens;
  let isValid = true;
  if (!entry.thinkingLevels.includes(thinkingLevel)) {
    diagnostics.push(source.diagnostic(spec.thinkingLevel !== undefined ? [...at, 'thinkingLevel'] : modelAt, 'UNSUPPORTED_BY_MODEL', `judge model ${entry.id} does not take thinkingLevel ${thinkingLevel}`, { hint: `it takes: ${entry.thinkingLevels.join(', ')}` }));
    isValid = false;
  }
  if (!entry.outputFormats.includes('JSON')) {
    diagnostics.push(source.diagnostic(modelAt, 'UNSUPPORTED_BY_MODEL', `judge model ${entry.id} does not answer outputFormat JSON, which verdicts are asked in`));
    isValid = false;
  }
  if (maxTokens > entry.maxTokens) {
    diagnostics.push(source.diagnostic(spec.maxTokens !== undefined ? [...at, 'maxTokens'] : modelAt, 'UNSUPPORTED_BY_MODEL', `judge maxTokens ${maxTokens} is above ${entry.id}'s limit of ${entry.maxTokens}`));
    isValid = false;
  }
  if (!isValid) return undefined;
  const threshold = spec.threshold ?? suiteDefaults?.threshold ?? config.judge.threshold;
  return {
    grader: { model: entry.id, air: entry.air, thinkingLevel, maxTokens, pricing: { price: entry.price, thinkingBilling: entry.thinkingBilling } },
    samples: spec.samples ?? suiteDefaults?.samples ?? config.judge.samples,
    ...(threshold !== undefined ? { threshold } : {}),
  };
}
