import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from './diagnostic.js';
import { displayPath, howFileLeaves } from './display-path.js';
import type { YamlPath, YamlSource } from './yaml-source.js';

const TOO_LARGE_HINT = 'shrink the image, or raise maxImageBytes in evalconfig.yaml';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATA_URI = /^data:(image\/[a-z0-9.+-]+);base64,([A-Za-z0-9+/\r\n]*={0,2})$/i;

/** The image types evalgate recognizes in a local file, by their first bytes. */
const SIGNATURES: readonly { mime: string; matches: (b: Buffer) => boolean }[] = [
  { mime: 'image/png', matches: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { mime: 'image/jpeg', matches: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mime: 'image/gif', matches: (b) => b.subarray(0, 6).toString('latin1') === 'GIF87a' || b.subarray(0, 6).toString('latin1') === 'GIF89a' },
  { mime: 'image/webp', matches: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
];

/**
 * Reads the `inputs.images` of suites: a URL or a Runware image UUID is sent as is; a data URI is
 * checked (an image type, base64, within `maxBytes` decoded) and sent as is; anything else is a local
 * file, relative to the suite, inside the project folder, recognized as PNG, JPEG, GIF or WebP by its
 * first bytes and within `maxBytes`, then sent as a base64 data URI. Files are read once per load.
 */
export class ImageSource {
  private readonly files = new Map<string, Promise<{ dataUri: string } | { code: 'FILE_NOT_FOUND' | 'IMAGE_TOO_LARGE' | 'BAD_IMAGE'; message: string }>>();

  constructor(
    private readonly rootDir: string,
    private readonly cwd: string,
    private readonly maxBytes: number,
  ) {}

  /** The value to send for `ref` (named at `at` in `source`), or undefined after reporting why there is none. */
  async load(ref: string, source: YamlSource, suiteDir: string, at: YamlPath, diagnostics: Diagnostic[]): Promise<string | undefined> {
    const fail = (code: Diagnostic['code'], message: string, hint?: string) => {
      diagnostics.push(source.diagnostic(at, code, message, hint !== undefined ? { hint } : {}));
      return undefined;
    };
    if (/^https?:\/\//i.test(ref)) {
      try {
        new URL(ref);
        return ref;
      } catch {
        return fail('BAD_IMAGE', `image URL "${ref.slice(0, 80)}" is not a valid URL`);
      }
    }
    if (UUID.test(ref)) return ref;
    if (/^data:/i.test(ref)) {
      const match = DATA_URI.exec(ref);
      if (!match) return fail('BAD_IMAGE', 'image data URI is not data:image/<type>;base64,<data>', 'encode the image as base64, or give its path');
      const bytes = Math.floor((match[2]!.replace(/[\r\n=]/g, '').length * 3) / 4);
      if (bytes > this.maxBytes) return fail('IMAGE_TOO_LARGE', `image data URI holds ${formatBytes(bytes)}; the limit is ${formatBytes(this.maxBytes)}`, TOO_LARGE_HINT);
      return ref;
    }
    const file = path.resolve(suiteDir, ref);
    const how = await howFileLeaves(this.rootDir, file);
    if (how !== undefined) {
      return fail('PATH_OUTSIDE_PROJECT', `image path "${ref}" leaves the project folder${how}`, `keep images under ${displayPath(this.rootDir, this.cwd) || '.'}, as files, not links to elsewhere`);
    }
    const read = await this.read(file);
    if ('code' in read) {
      const hints = { FILE_NOT_FOUND: 'paths are relative to the suite file; URLs start with https://', IMAGE_TOO_LARGE: TOO_LARGE_HINT, BAD_IMAGE: undefined };
      return fail(read.code, `image "${ref}": ${read.message}`, hints[read.code]);
    }
    return read.dataUri;
  }

  private read(file: string): Promise<{ dataUri: string } | { code: 'FILE_NOT_FOUND' | 'IMAGE_TOO_LARGE' | 'BAD_IMAGE'; message: string }> {
    let pending = this.files.get(file);
    if (!pending) {
      pending = (async () => {
        try {
          const info = await stat(file);
          if (!info.isFile()) return { code: 'FILE_NOT_FOUND' as const, message: 'not a file' };
          if (info.size > this.maxBytes) return { code: 'IMAGE_TOO_LARGE' as const, message: `${formatBytes(info.size)}; the limit is ${formatBytes(this.maxBytes)}` };
          const bytes = await readFile(file);
          const type = SIGNATURES.find((s) => s.matches(bytes));
          if (!type) return { code: 'BAD_IMAGE' as const, message: 'not a PNG, JPEG, GIF or WebP image' };
          return { dataUri: `data:${type.mime};base64,${bytes.toString('base64')}` };
        } catch (error) {
          return { code: 'FILE_NOT_FOUND' as const, message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
        }
      })();
      this.files.set(file, pending);
    }
    return pending;
  }
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1048576).toFixed(1)} MiB`;
  return bytes >= 1024 ? `${Math.ceil(bytes / 1024)} KiB` : `${bytes} bytes`;
}
