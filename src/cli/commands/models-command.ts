import Table from 'cli-table3';
import type { ModelEntry, Price } from '../../config/model-table.js';
import { ExitCode } from '../../core/evalgate-error.js';
import type { CliIo } from '../cli-io.js';
import type { ModelsArgs } from '../cli-options.js';
import { loadCommandConfig } from './load-command-config.js';

/**
 * `evalgate models [--json]`: the model table load checks suites against, built-in rows with the
 * project's evalconfig.yaml `models:` applied: per model its AIR, what it takes, its price and what is
 * unconfirmed (with `--json`, each field's source too). Sends nothing.
 */
export async function modelsCommand(args: ModelsArgs, io: CliIo): Promise<number> {
  const config = await loadCommandConfig(args, io);
  const entries = config.models.entries;
  const overridden = new Set(Object.keys(config.modelOverrides));
  io.stdout.write(args.json ? `${JSON.stringify(modelListJson(entries, overridden), null, 2)}\n` : renderModelList(entries, overridden));
  return ExitCode.ok;
}

/** What `--json` prints: one object per model. */
export function modelListJson(entries: readonly ModelEntry[], overridden: ReadonlySet<string>) {
  return {
    models: entries.map((e) => ({
      id: e.id,
      air: e.air,
      ...(e.displayName !== undefined ? { displayName: e.displayName } : {}),
      maxTokens: e.maxTokens,
      maxNumberResults: e.maxNumberResults,
      thinkingLevels: e.thinkingLevels,
      outputFormats: e.outputFormats,
      deliveryMethods: e.deliveryMethods,
      toolTypes: e.toolTypes,
      acceptsImages: e.acceptsImages,
      price: e.price ?? null,
      unconfirmed: e.unconfirmed,
      fieldSources: e.fieldSources ?? {},
      fromConfig: overridden.has(e.id),
    })),
  };
}

/** The table for people: one row per model, what is unconfirmed in its last column. */
export function renderModelList(entries: readonly ModelEntry[], overridden: ReadonlySet<string>): string {
  const table = new Table({
    head: ['model', 'AIR', 'maxTokens', 'n', 'thinkingLevel', 'output', 'delivery', 'tools', 'images', '$/1M in / out', 'unconfirmed'],
    style: { head: [], border: [], compact: true },
  });
  for (const e of entries) {
    table.push([
      overridden.has(e.id) ? `${e.id} *` : e.id,
      e.air,
      e.maxTokens.toLocaleString('en-US'),
      String(e.maxNumberResults),
      e.thinkingLevels.join(','),
      e.outputFormats.join(','),
      e.deliveryMethods.join(','),
      e.toolTypes.length ? e.toolTypes.join(',') : 'none',
      e.acceptsImages ? 'yes' : 'no',
      formatPrice(e.price),
      e.unconfirmed.length ? e.unconfirmed.join(', ') : '—',
    ]);
  }
  const notes = [
    `${entries.length} models. "unconfirmed": best guesses no Runware source gives for that model (evalgate models --json says where each field comes from; docs/models.md).`,
    ...(overridden.size > 0 ? ['* set or changed under models: in evalconfig.yaml.'] : []),
  ];
  return `${table.toString()}\n${notes.join('\n')}\n`;
}

function formatPrice(price: Price | undefined): string {
  if (!price) return '—';
  const tier = price.above ? ` (${price.above.input} / ${price.above.output} above ${price.above.promptTokens / 1000}k prompt)` : '';
  return `${price.input} / ${price.output}${tier}`;
}
