import type { ProviderName } from '../../config/choices.js';
import { EvalgateError } from '../../core/evalgate-error.js';
import type { Trial } from '../../plan/trial.js';
import { WebhookReceiver } from '../../providers/runware/webhook-receiver.js';
import type { CliIo } from '../cli-io.js';

/**
 * `--webhook-listen HOST:PORT [--webhook-public-url URL]`: starts the receiver async results are
 * POSTed to, when the run has async trials to send. Returns undefined when there is nothing to
 * receive (no flag, or no async trial: said in a notice). Throws a usage error for a bad address, an
 * address in use, or a provider that sends nothing.
 */
export async function startWebhookReceiver(
  args: { webhookListen?: string; webhookPublicUrl?: string },
  trials: readonly Trial[],
  provider: ProviderName,
  io: CliIo,
): Promise<WebhookReceiver | undefined> {
  if (args.webhookListen === undefined) {
    if (args.webhookPublicUrl !== undefined) throw new EvalgateError('USAGE', '--webhook-public-url needs --webhook-listen', { hint: 'add --webhook-listen HOST:PORT' });
    return undefined;
  }
  if (provider === 'replay') {
    throw new EvalgateError('USAGE', '--webhook-listen needs --provider runware or simulator: a replay sends nothing', { hint: 'drop --webhook-listen' });
  }
  const { host, port } = parseListen(args.webhookListen);
  const publicUrl = args.webhookPublicUrl !== undefined ? parsePublicUrl(args.webhookPublicUrl) : undefined;
  if (!trials.some((t) => t.request.deliveryMethod === 'async')) {
    io.stderr.write('notice: --webhook-listen: no trial of this run is async, so no receiver was started (set deliveryMethod: async)\n');
    return undefined;
  }
  let receiver: WebhookReceiver;
  try {
    receiver = await WebhookReceiver.start({ host, port, ...(publicUrl !== undefined ? { publicUrl } : {}) });
  } catch (error) {
    throw new EvalgateError('USAGE', `--webhook-listen cannot listen on ${host}:${port}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      hint: 'pick another port, or 0 for any free one',
    });
  }
  const reachedAt = receiver.redact(receiver.url).replace(/\/webhook\/\[token\]$/, '');
  io.stderr.write(`webhook: listening on ${receiver.address}; async results are POSTed to ${reachedAt}/webhook/<per-run token>\n`);
  return receiver;
}

function parseListen(value: string): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(value.trim());
  const port = match ? Number(match[2]) : NaN;
  if (!match || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new EvalgateError('USAGE', `--webhook-listen takes HOST:PORT, got "${value}"`, { hint: 'for example 0.0.0.0:8080, 127.0.0.1:0 (any free port) or [::]:8080' });
  }
  return { host: match[1]!.replace(/^\[(.*)\]$/, '$1'), port };
}

function parsePublicUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
  } catch {
    // reported below
  }
  throw new EvalgateError('USAGE', `--webhook-public-url must be an http(s) URL, got "${value}"`, { hint: 'for example https://my-tunnel.example.com' });
}
