/**
 * Splits a server-sent event stream into the payloads of its `data:` fields, fed chunk by chunk as
 * bytes arrive (a chunk may end mid-line, or mid-character). Comment lines (`:` keep-alives) and other
 * fields (`event:`, `id:`, `retry:`) are skipped. An event ends at a blank line, as the SSE spec says;
 * because Runware's docs show `data:` lines one after another, a `data:` line that follows a complete
 * JSON payload (or `[DONE]`) also ends the event before it.
 */
export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  private pending = '';
  private data: string[] = [];

  /** The payloads completed by this chunk. */
  push(chunk: Uint8Array | string): string[] {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const out: string[] = [];
    let newline: RegExpExecArray | null;
    const lineEnd = /\r\n|\r|\n/g;
    let start = 0;
    while ((newline = lineEnd.exec(this.pending)) !== null) {
      // A lone \r at the very end may be the first half of \r\n: wait for the next chunk.
      if (newline[0] === '\r' && newline.index === this.pending.length - 1) break;
      this.line(this.pending.slice(start, newline.index), out);
      start = newline.index + newline[0].length;
    }
    this.pending = this.pending.slice(start);
    return out;
  }

  /** The payload left when the stream ends without a final blank line. */
  end(): string[] {
    const out: string[] = [];
    this.pending += this.decoder.decode();
    if (this.pending !== '') this.line(this.pending, out);
    this.pending = '';
    this.dispatch(out);
    return out;
  }

  private line(line: string, out: string[]): void {
    if (line === '') return this.dispatch(out);
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    if (field !== 'data') return;
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (this.data.length > 0 && isComplete(this.data.join('\n'))) this.dispatch(out);
    this.data.push(value);
  }

  private dispatch(out: string[]): void {
    if (this.data.length > 0) out.push(this.data.join('\n'));
    this.data = [];
  }
}

function isComplete(payload: string): boolean {
  if (payload.trim() === '[DONE]') return true;
  try {
    JSON.parse(payload);
    return true;
  } catch {
    return false;
  }
}
