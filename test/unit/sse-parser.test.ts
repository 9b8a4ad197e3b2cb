import { describe, expect, it } from 'vitest';
import { SseParser } from '../../src/providers/runware/sse-parser.js';

const feed = (chunks: (string | Uint8Array)[]) => {
  const parser = new SseParser();
  return [...chunks.flatMap((c) => parser.push(c)), ...parser.end()];
};

describe('SseParser', () => {
  it('yields each data payload, ending events at blank lines', () => {
    expect(feed(['data: {"a":1}\n\ndata: {"b":2}\n\ndata: [DONE]\n\n'])).toEqual(['{"a":1}', '{"b":2}', '[DONE]']);
  });

  it('skips `:` keep-alives and fields other than data', () => {
    expect(feed([': keep-alive\n\nevent: message\nid: 7\nretry: 100\ndata: {"a":1}\n\n:\n\n'])).toEqual(['{"a":1}']);
  });

  it('reassembles lines and UTF-8 characters split across chunks', () => {
    const bytes = new TextEncoder().encode('data: {"text":"héllo ✓"}\n\n');
    const chunks = Array.from(bytes, (b) => Uint8Array.of(b));
    expect(feed(chunks)).toEqual(['{"text":"héllo ✓"}']);
  });

  it('takes \\r\\n and \\r line ends, even a \\r\\n split between two chunks', () => {
    expect(feed(['data: {"a":1}\r', '\n\r\ndata: {"b":2}\r\rdata: [DONE]\r\n\r\n'])).toEqual(['{"a":1}', '{"b":2}', '[DONE]']);
  });

  it('joins the lines of a multi-line data field with \\n', () => {
    expect(feed(['data: {"a":\ndata: 1}\n\n'])).toEqual(['{"a":\n1}']);
  });

  it('treats data lines one after another, as Runware documents them, as separate events', () => {
    expect(feed(['data: {"a":1}\ndata: {"b":2}\ndata: [DONE]\n'])).toEqual(['{"a":1}', '{"b":2}', '[DONE]']);
  });

  it('yields a last event the stream ended without a blank line after', () => {
    expect(feed(['data: {"a":1}'])).toEqual(['{"a":1}']);
  });
});
