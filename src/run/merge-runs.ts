import { closeSync, existsSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { EvalgateError } from '../core/evalgate-error.js';
import { readJournal } from '../results/read-journal.js';
import { writeFileAtomic } from '../core/write-file-atomic.js';
import { MANIFEST_FILE, readManifest, type RunManifest } from './run-manifest.js';

/** What a merge put together. */
export interface MergedRun {
  manifest: RunManifest;
  samples: number;
  /** Samples found in more than one folder, kept once. */
  duplicates: number;
}

/**
 * Combines the folders of a sharded run (`--shard i/n`) into one run folder: one results.jsonl with
 * every sample once, and a run.json for the whole plan. Refuses folders of different plans, a second
 * copy of a shard, or (without `allowIncomplete`) a missing shard. Reports are built from the result
 * like any run's, so the merged summary equals that of an unsharded run of the same samples.
 */
export async function mergeRuns(dirs: readonly string[], outDir: string, options: { allowIncomplete: boolean; runId: string }): Promise<MergedRun> {
  if (dirs.length === 0) throw new EvalgateError('USAGE', 'merge needs at least one run folder');
  const manifests = dirs.map((dir) => ({ dir, manifest: readManifest(dir) }));
  const first = manifests[0]!.manifest;
  for (const { dir, manifest } of manifests) {
    if (manifest.plan.fingerprint !== first.plan.fingerprint) {
      throw new EvalgateError('USAGE', `${dir} is a run of another plan than ${dirs[0]}; only shards of one run can be merged`, {
        hint: 'merge the folders written by `evalgate run --shard i/n` for the same suites, config and flags',
      });
    }
  }
  const count = first.invocation.shard?.count ?? 1;
  const seen = new Map<number, string>();
  for (const { dir, manifest } of manifests) {
    const index = manifest.invocation.shard?.index ?? 1;
    if (seen.has(index)) throw new EvalgateError('USAGE', `${dir} and ${seen.get(index)} are both shard ${index}/${count}`);
    seen.set(index, dir);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0 && !options.allowIncomplete) {
    throw new EvalgateError('USAGE', `shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} missing`, {
      hint: 'pass every shard folder, or --allow-incomplete to merge what there is (the run then counts as interrupted)',
    });
  }
  if (existsSync(path.join(outDir, 'results.jsonl'))) throw new EvalgateError('USAGE', `${outDir} already holds a run; choose another --out`);

  mkdirSync(outDir, { recursive: true });
  const fd = openSync(path.join(outDir, 'results.jsonl'), 'w');
  const written = new Set<string>();
  let samples = 0;
  let duplicates = 0;
  try {
    for (const { dir } of manifests) {
      let batch: string[] = [];
      for await (const record of readJournal(path.join(dir, 'results.jsonl'))) {
        const key = `${record.trialId}/${record.sampleIndex}`;
        if (written.has(key)) {
          duplicates++;
          continue;
        }
        written.add(key);
        samples++;
        batch.push(`${JSON.stringify(record)}\n`);
        if (batch.length >= 1000) {
          writeSync(fd, batch.join(''));
          batch = [];
        }
      }
      if (batch.length) writeSync(fd, batch.join(''));
    }
  } finally {
    closeSync(fd);
  }
  const startedAt = manifests.map((m) => m.manifest.startedAt).sort()[0]!;
  const manifest: RunManifest = {
    ...first,
    runId: options.runId,
    startedAt,
    invocation: { ...first.invocation, shard: null },
    plan: { trials: first.plan.allTrials, allTrials: first.plan.allTrials, fingerprint: first.plan.fingerprint },
  };
  await writeFileAtomic(path.join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return { manifest, samples, duplicates };
}
