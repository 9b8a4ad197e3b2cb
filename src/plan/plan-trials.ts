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
    // Objects every trial of a setting (or of a model) shares instead of holding a copy each.
    const shared = new SharedParts(suite);
    for (const kase of suite.cases) {
      if (!keep(suite.name, kase.id, kase.tags)) continue;
      const levels = options.thinkingLevels ?? kase.thinkingLevels;
      for (const model of suite.models) {
        checkOverrides(model, levels, numberResults, options, problems);
        for (const thinkingLevel of levels) {
          for (const n of numberResults) {
            const setting = shared.setting(model, thinkingLevel, n);
            const delivery = chooseDeliveryMethod({
              requested: suite.deliveryMethod,
              model,
              thinkingLevel,
              maxTokens: kase.maxTokens,
              ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
            });
            const notice = delivery.notice !== undefined ? shared.notice(delivery.notice) : undefined;
            for (let repeat = 0; repeat < suite.repeats; repeat++) {
              trials.push(new PlannedTrial(trialId(suite.name, kase.id, setting, repeat), suite, kase, setting, repeat, shared.pricing(model), delivery.method, notice));
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

/**
 * A planned trial, held compactly: a 100,000-sample plan is 25,000 of them for the whole run
 * (docs/performance.md, "Memory"). Its setting and pricing are shared with the other trials of the
 * same setting and model, and its request is built from the suite, the case and the setting each time
 * it is asked for (when the trial is sent, estimated or fingerprinted), equal every time to the one
 * built before. `request` is a getter: a copy made by spreading a trial (`{ ...trial }`) has none.
 */
class PlannedTrial implements Trial {
  readonly id: string;
  readonly suite: string;
  readonly caseId: string;
  readonly setting: SweepPoint;
  readonly repeat: number;
  readonly case: LoadedCase;
  readonly pricing: Trial['pricing'];
  readonly deliveryNotice: string | undefined;
  private readonly loadedSuite: LoadedSuite;
  private readonly deliveryMethod: DeliveryMethod;

  constructor(id: string, suite: LoadedSuite, kase: LoadedCase, setting: SweepPoint, repeat: number, pricing: Trial['pricing'], deliveryMethod: DeliveryMethod, deliveryNotice: string | undefined) {
    this.id = id;
    this.suite = suite.name;
    this.caseId = kase.id;
    this.setting = setting;
    this.repeat = repeat;
    this.case = kase;
    this.pricing = pricing;
    this.deliveryNotice = deliveryNotice;
    this.loadedSuite = suite;
    this.deliveryMethod = deliveryMethod;
  }

  get request(): InferenceRequest {
    return buildRequest(this.loadedSuite, this.case, this.setting, this.deliveryMethod);
  }
}

/** One suite's settings, prices and notices, each made once and shared by its trials. */
class SharedParts {
  private readonly settings = new Map<string, SweepPoint>();
  private readonly prices = new Map<ModelEntry, Trial['pricing']>();
  private readonly notices = new Map<string, string>();

  constructor(private readonly suite: LoadedSuite) {}

  setting(model: ModelEntry, thinkingLevel: ThinkingLevel, numberResults: number): SweepPoint {
    const key = `${model.id}\u0000${thinkingLevel}\u0000${numberResults}`;
    let setting = this.settings.get(key);
    if (!setting) this.settings.set(key, (setting = { model: model.id, air: model.air, thinkingLevel, numberResults }));
    return setting;
  }

  pricing(model: ModelEntry): Trial['pricing'] {
    let pricing = this.prices.get(model);
    if (!pricing) this.prices.set(model, (pricing = { ...(model.price ? { price: model.price } : {}), thinkingBilling: model.thinkingBilling }));
    return pricing;
  }

  notice(text: string): string {
    let notice = this.notices.get(text);
    if (notice === undefined) this.notices.set(text, (notice = `${this.suite.name}: ${text}`));
    return notice;
  }
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
