import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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

/** Reads every cassette of a folder, by key. */
export function readCassettes(dir: string): Map<string, Cassette> {
  const cassettes = new Map<string, Cassette>();
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return cassettes;
  }
  for (const name of names) cassettes.set(name.slice(0, -'.json'.length), JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as Cassette);
  return cassettes;
}
