import type { z } from 'zod';
import type { Diagnostic } from './diagnostic.js';
import { describeGateOn, isGatedSetting, type GateOn, type GateOnSchema } from './gate-on.js';
import type { ResolvedConfig } from './load-config.js';
import type { LoadedCase } from './loaded-suite.js';
import type { ModelEntry } from './model-table.js';
import { didYouMean } from './suggest.js';
import type { SuiteSpec } from './suite-schema.js';
import type { YamlSource } from './yaml-source.js';

/** `gateOn` as written: in a suite, in evalconfig.yaml or from `--gate-on`. */
export type GateOnSpec = z.infer<typeof GateOnSchema>;

/**
 * The suite's `gateOn`, from `--gate-on`, else the suite's key, else evalconfig.yaml's; model names
 * resolved to the table's ids. A model it names that is unknown, or a `gateOn` that matches none of
 * the suite's settings (the suite would never be gated), is an error.
 */
export function resolveGateOn(
  spec: SuiteSpec,
  cases: readonly LoadedCase[],
  models: readonly ModelEntry[],
  source: YamlSource,
  ctx: { config: ResolvedConfig; gateOnOverride?: GateOnSpec },
  diagnostics: Diagnostic[],
): GateOn | null {
  const [written, from] = ctx.gateOnOverride
    ? [ctx.gateOnOverride, '--gate-on']
    : spec.gateOn
      ? [spec.gateOn, 'gateOn']
      : ctx.config.gateOn
        ? [ctx.config.gateOn, 'gateOn in evalconfig.yaml']
        : [undefined, ''];
  if (!written) return null;
  const inSuite = written === spec.gateOn;
  const gateOn: GateOn = {};
  let isResolved = true;
  if (written.thinkingLevel) gateOn.thinkingLevel = [...written.thinkingLevel];
  if (written.model) {
    gateOn.model = [];
    written.model.forEach((name, i) => {
      const entry = ctx.config.models.find(name);
      if (entry) gateOn.model!.push(entry.id);
      else {
        isResolved = false;
        diagnostics.push(
          source.diagnostic(inSuite ? ['gateOn', 'model', i] : ['suite'], 'UNKNOWN_MODEL', `${from} names an unknown model "${name}"`, {
            hint: didYouMean(name, ctx.config.models.names()) ?? `the suite runs: ${models.map((m) => m.id).join(', ')}`,
          }),
        );
      }
    });
  }
  const levels = [...new Set(cases.flatMap((c) => c.thinkingLevels))];
  const settings = models.flatMap((m) => levels.map((thinkingLevel) => ({ model: m.id, thinkingLevel })));
  if (isResolved && cases.length > 0 && models.length > 0 && !settings.some((s) => isGatedSetting(gateOn, s))) {
    diagnostics.push(
      source.diagnostic(inSuite ? ['gateOn'] : ['suite'], 'GATE_ON_MATCHES_NOTHING', `${from} (${describeGateOn(gateOn)}) matches none of this suite's settings, so nothing in it would be gated`, {
        ...(inSuite ? { atKey: true } : {}),
        hint: `its settings: ${settings.map((s) => `${s.model} · ${s.thinkingLevel}`).join(', ')}`,
      }),
    );
  }
  return gateOn;
}
