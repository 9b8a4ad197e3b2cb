import type { Writable } from 'node:stream';

/**
 * Resolves once everything written to `stream` so far has been handed to the OS, or has failed to be
 * (a closed pipe): what `process.exit` would otherwise cut short where a pipe is asynchronous.
 */
export function flushed(stream: Pick<Writable, 'write' | 'writableLength' | 'destroyed'>): Promise<void> {
  return new Promise((resolve) => {
    if (stream.writableLength === 0 || stream.destroyed) resolve();
    else stream.write('', () => resolve());
  });
}
