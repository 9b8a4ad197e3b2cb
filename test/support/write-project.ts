import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Writes a project (files by relative path, folders made as needed) in a fresh folder under `parent`, and returns the folder. */
export async function writeProjectFiles(parent: string, files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(parent, 'p-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), text);
  }
  return root;
}
