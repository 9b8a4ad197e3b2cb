import { realpath } from 'node:fs/promises';
import path from 'node:path';

/** A path as the user should see it: relative to `cwd` when inside it, with forward slashes. */
export function displayPath(absolutePath: string, cwd: string): string {
  const relative = path.relative(cwd, absolutePath);
  const shown = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : absolutePath;
  return shown.split(path.sep).join('/');
}

/** True when `candidate` is `root` or inside it. */
function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * Whether `file`, once every symlink on its way is followed, is still inside `root` (itself followed):
 * `inside`, `outside`, or `missing` when it does not exist (the caller says "not found"). A path that
 * merely reads as inside the project can point anywhere through a symlink.
 */
async function whereReally(root: string, file: string): Promise<'inside' | 'outside' | 'missing'> {
  let realFile: string;
  try {
    realFile = await realpath(file);
  } catch {
    return 'missing';
  }
  const realRoot = await realpath(root).catch(() => path.resolve(root));
  return isInside(realRoot, realFile) ? 'inside' : 'outside';
}

/**
 * The one containment rule for every file evalgate reads as part of a project (suites, schemas, data
 * files, scripts, images, labels): undefined when `file` stays inside `root` once every symlink is
 * followed (or does not exist: the caller says "not found"), else how it leaves, to complete
 * "… leaves the project folder": `''` when its path itself is outside, `', through a symlink'` when it
 * reads as inside but a link takes it elsewhere.
 */
export async function howFileLeaves(root: string, file: string): Promise<'' | ', through a symlink' | undefined> {
  if (!isInside(root, file)) return '';
  return (await whereReally(root, file)) === 'outside' ? ', through a symlink' : undefined;
}
