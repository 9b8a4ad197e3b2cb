import path from 'node:path';
import { YamlSource } from './yaml-source.js';

/**
 * The line of each case's `id` in a suite file, read with the loader's own YAML source, so an
 * annotation or a message can point at the case. A file that no longer parses gives no lines.
 */
export async function readCaseLines(file: string, cwd: string): Promise<Map<string, number>> {
  const lines = new Map<string, number>();
  const source = await YamlSource.read(path.resolve(cwd, file), file);
  if (Array.isArray(source)) return lines;
  const cases = (source.value as { cases?: unknown } | null)?.cases;
  if (!Array.isArray(cases)) return lines;
  cases.forEach((kase: unknown, index) => {
    const id = (kase as { id?: unknown } | null)?.id;
    if (typeof id === 'string' && !lines.has(id)) lines.set(id, source.lineOf(['cases', index, 'id']));
  });
  return lines;
}
