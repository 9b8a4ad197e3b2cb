import type { LoadedCase, LoadedSuite } from '../config/loaded-suite.js';
import type { ModelEntry } from '../config/model-table.js';
import type { DeliveryMethod, ThinkingLevel } from '../core/runware-limits.js';
import { EvalgateError } from '../core/evalgate-error.js';
import { compileCaseFilter } from './case-filter.js';
import { chooseDeliveryMethod } from './choose-delivery-method.js';
import { trialId } from './trial-id.js';
import type { InferenceRequest, SweepPoint, Trial } from './trial.js';

/** Command-line choices that narrow or replace what the suites sweep. */
export interface PlanOptions {
  /** `--levels`: the thinking levels to run every case at, instead of the suites' own. */
  thinkingLevels?: readonly ThinkingLevel[];
  /** `--samples`: the numberResults values to run, instead of the suites' own. */
  numberResults?: readonly number[];
  /** `--filter`: globs over `suite/case`, or `tag:<name>`. */
  filter?: readonly string[];
  /** `requestTimeoutMs` of the config: xhigh requests that could outlive it go async (see chooseDeliveryMethod). */
  requestTimeoutMs?: number;
}

/**
 * The `plan` stage: crosses every case with its suite's sweep (models × thinking levels ×
 * numberResults) and its repeats. Pure and deterministic: the same suites and options give the same
 * trials, with the same ids, in the same order.
 */
export function planTrials(suites: readonly LoadedSuite[], options: PlanOptions = {}): Trial[] {
  const keep = compileCaseFilter(options.filter ?? []);
  const problems = new Set<string>();
  const trials: Trial[] = [];
  for (const suite of suites) {
    const numberResults = options.numberResults ?? suite.numberResults;
    for (const kase of suite.cases) {
      if (!keep(suite.name, kase.id, kase.tags)) continue;
      const levels = options.thinkingLevels ?? kase.thinkingLevels;
      for (const model of suite.models) {
        checkOverrides(model, levels, numberResults, options, problems);
        for (const thinkingLevel of levels) {
          for (const n of numberResults) {
            const setting: SweepPoint = { model: model.id, air: model.air, thinkingLevel, numberResults: n };
            const delivery = chooseDeliveryMethod({
              requested: suite.deliveryMethod,
              model,
              thinkingLevel,
              maxTokens: kase.maxTokens,
              ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
            });
            for (let repeat = 0; repeat < suite.repeats; repeat++) {
              trials.push({
                id: trialId(suite.name, kase.id, setting, repeat),
                suite: suite.name,
                caseId: kase.id,
                setting,
                repeat,
                request: buildRequest(suite, kase, setting, delivery.method),
                case: kase,
                pricing: { ...(model.price ? { price: model.price } : {}), thinkingBilling: model.thinkingBilling },
                ...(delivery.notice !== undefined ? { deliveryNotice: `${suite.name}: ${delivery.notice}` } : {}),
              });
            }
          }
        }
      }
    }
  }
  if (problems.size > 0) {
    throw new EvalgateError('USAGE', [...problems].join('\n'), { hint: 'pick values every swept model supports (see the model table in docs/models.md)' });
  }
  return trials;
}

function buildRequest(suite: LoadedSuite, kase: LoadedCase, setting: SweepPoint, deliveryMethod: DeliveryMethod): InferenceRequest {
  return {
    model: setting.air,
    messages: kase.messages,
    ...(kase.systemPrompt !== undefined ? { systemPrompt: kase.systemPrompt } : {}),
    maxTokens: kase.maxTokens,
    thinkingLevel: setting.thinkingLevel,
    numberResults: setting.numberResults,
    outputFormat: suite.outputFormat,
    ...(suite.jsonSchema ? { jsonSchema: suite.jsonSchema } : {}),
    ...(deliveryMethod !== 'sync' ? { deliveryMethod } : {}),
    ...(kase.images ? { images: kase.images } : {}),
    ...(suite.tools ? { tools: suite.tools } : {}),
    ...(suite.toolChoice ? { toolChoice: suite.toolChoice } : {}),
  };
}

/** Suite values were checked at load; values from the command line are checked here. */
function checkOverrides(model: ModelEntry, levels: readonly ThinkingLevel[], numberResults: readonly number[], options: PlanOptions, problems: Set<string>): void {
  if (options.thinkingLevels) {
    for (const level of levels) {
      if (!model.thinkingLevels.includes(level)) problems.add(`--levels: ${model.id} does not take thinkingLevel ${level} (it takes ${model.thinkingLevels.join(', ')})`);
    }
  }
  if (options.numberResults) {
    for (const n of numberResults) {
      if (n > model.maxNumberResults) problems.add(`--samples: ${model.id} takes at most ${model.maxNumberResults} results per request, not ${n}`);
    }
  }
}
