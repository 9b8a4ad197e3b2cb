import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { flushed } from '../../src/cli/flushed.js';

/** A stream that holds each write until `release()` is called, like a pipe whose reader is slow. */
function slowStream() {
  const pending: (() => void)[] = [];
  const written: string[] = [];
  const stream = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, callback) {
      pending.push(() => {
        written.push(chunk.toString());
        callback();
      });
    },
  });
  const release = () => {
    while (pending.length > 0) pending.shift()!();
  };
  return { stream, written, release };
}

describe('flushed', () => {
  it('resolves at once when nothing is waiting to be written', async () => {
    const { stream } = slowStream();
    await expect(flushed(stream)).resolves.toBeUndefined();
  });

  it('waits until what was written before has been handed on', async () => {
    const { stream, written, release } = slowStream();
    stream.write('the verdict\n');
    stream.write('the artefacts\n');
    let done = false;
    const waiting = flushed(stream).then(() => {
      done = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    // Each write's callback lets the next one through: release until the stream is drained.
    for (let i = 0; i < 5 && !done; i++) {
      release();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await waiting;
    expect(written.join('')).toBe('the verdict\nthe artefacts\n');
  });

  it('does not wait on a stream that was destroyed (a closed pipe)', async () => {
    const { stream } = slowStream();
    stream.write('lost\n');
    stream.destroy();
    await expect(flushed(stream)).resolves.toBeUndefined();
  });
});
