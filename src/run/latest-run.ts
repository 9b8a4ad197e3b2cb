import { lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const LATEST = 'latest';

/** `<outDir>/latest` → the newest run (a relative symlink; a text file naming the run folder where links are not allowed). */
export function pointLatestAt(outRoot: string, runDir: string): void {
  mkdirSync(outRoot, { recursive: true });
  const link = path.join(outRoot, LATEST);
  const target = path.relative(outRoot, runDir);
  rmSync(link, { force: true, recursive: false });
  try {
    symlinkSync(target, link, 'dir');
  } catch {
    writeFileSync(link, `${target}\n`);
  }
}

/**
 * The newest run's folder under `outRoot`: `<outRoot>/latest`, read through the text file that
 * pointLatestAt writes where links are not allowed. The path of `latest` itself when it is a link or
 * missing (the caller says what is wrong with it).
 */
export function latestRunDir(outRoot: string): string {
  const link = path.join(outRoot, LATEST);
  try {
    if (lstatSync(link).isFile()) {
      const target = readFileSync(link, 'utf8').trim();
      if (target !== '') return path.resolve(outRoot, target);
    }
  } catch {
    // Missing or unreadable: the caller reports it by its usual path.
  }
  return link;
}
