import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { displayPath, howFileLeaves } from '../../config/display-path.js';
import { EvalgateError } from '../../core/evalgate-error.js';
import type { InferenceRequest } from '../../plan/trial.js';
import type { AttemptOutcome } from '../provider.js';

/**
 * A cassette: every outcome recorded for one request, in the order they came. Keyed by a hash of the
 * request as the provider sees it, which carries no taskUUID (a new one goes on the wire for every
 * attempt) and no secret (the key lives in the transport, never in the request).
 */
export interface Cassette {
  request: InferenceRequest;
  /** Whether the built-in simulator answered it; absent in recordings made before this was kept. */
  simulated?: boolean;
  outcomes: AttemptOutcome[];
}

/** A stable key: the request's JSON with its object keys sorted. */
export function cassetteKey(request: InferenceRequest): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex').slice(0, 32);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Writes one cassette, whole or not at all. */
export function writeCassette(dir: string, key: string, cassette: Cassette): void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${key}.json`);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(cassette, null, 1)}\n`);
  renameSync(`${file}.tmp`, file);
}

/**
 * Reads every cassette of a folder, by key. A cassette that leaves `root` once every link is followed
 * is not read (like a suite); one that is not a recording is refused with its file, before any run.
 */
export async function readCassettes(dir: string, cwd: string, root: string = dir): Promise<Map<string, Cassette>> {
  const cassettes = new Map<string, Cassette>();
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return cassettes;
  }
  const problems: string[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const shown = displayPath(file, cwd);
    const how = await howFileLeaves(root, file);
    if (how !== undefined) {
      problems.push(`${shown} leaves ${root === dir ? 'its folder' : 'the project folder'}${how}; it was not read`);
      continue;
    }
    const cassette = parseCassette(readFileSync(file, 'utf8'));
    if (typeof cassette === 'string') problems.push(`${shown} is not a recording: ${cassette}`);
    else cassettes.set(name.slice(0, -'.json'.length), cassette);
  }
  if (problems.length > 0) {
    throw new EvalgateError('USAGE', `${problems.length === 1 ? 'a cassette' : `${problems.length} cassettes`} cannot be replayed:\n  ${problems.join('\n  ')}`, {
      hint: 'keep cassettes as the files --record wrote, in their folder (not links to elsewhere); record again, or delete the ones named',
    });
  }
  return cassettes;
}

/** A cassette, or what is wrong with the text. */
function parseCassette(text: string): Cassette | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  const cassette = value as Partial<Cassette> | null;
  if (typeof cassette !== 'object' || cassette === null || typeof cassette.request !== 'object' || cassette.request === null || !Array.isArray(cassette.outcomes)) {
    return 'it has no request and outcomes';
  }
  return cassette as Cassette;
}
