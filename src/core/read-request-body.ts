import type { IncomingMessage } from 'node:http';

/**
 * A request's body as UTF-8 text, or undefined once it passes `maxBytes` (the rest is not read into
 * memory). For the local servers evalgate runs: the simulator and the webhook receiver.
 */
export async function readRequestBody(req: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
