import path from 'node:path';

/** A path as the user should see it: relative to `cwd` when inside it, with forward slashes. */
export function displayPath(absolutePath: string, cwd: string): string {
  const relative = path.relative(cwd, absolutePath);
  const shown = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : absolutePath;
  return shown.split(path.sep).join('/');
}

/** True when `candidate` is `root` or inside it. */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
