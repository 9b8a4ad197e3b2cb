import { z } from 'zod';

/** The fault kinds: each a share of requests, laid end to end on [0, 1) in this order when a fault is drawn. */
export const FAULT_KINDS = ['rateLimited', 'serverError', 'unavailable', 'gatewayTimeout', 'providerTimeout', 'hang', 'reset', 'malformed', 'truncated', 'mixed', 'wrongCount'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const rate = (what: string) => z.number().min(0).max(1).default(0).describe(`Share of requests answered with ${what}. @default 0`);

/**
 * Faults the simulator injects, each a share of requests, drawn deterministically from the seed and
 * the request's content. Everything the real API (or the network in front of it) has been seen to do.
 */
export const FaultsSchema = z
  .strictObject({
    rateLimited: rate('429 providerRateLimitExceeded'),
    retryAfterShare: z.number().min(0).max(1).default(0.5).describe('Share of 429s that carry a Retry-After header. @default 0.5'),
    retryAfterSeconds: z.number().min(0).default(1).describe('The Retry-After value sent. @default 1'),
    serverError: rate('500 serverError'),
    unavailable: rate('503 modelUnavailable'),
    gatewayTimeout: rate('504 (queue wait exceeded)'),
    providerTimeout: rate('200 with a timeoutProvider error in the body'),
    hang: rate('no bytes at all, until the client gives up'),
    reset: rate('a reset connection'),
    malformed: rate('a 200 whose body is not JSON'),
    truncated: rate('a 200 whose JSON body is cut short'),
    mixed: rate('a 200 with some results and a timeoutProvider error for the rest'),
    wrongCount: rate('a 200 with one result too many or too few'),
    asyncStuck: z
      .number()
      .min(0)
      .max(1)
      .default(0)
      .describe('Share of async results that stay `processing` for ever (the client gives up at its polling deadline). Drawn per result, apart from the request faults above. @default 0'),
    streamError: z
      .number()
      .min(0)
      .max(1)
      .default(0)
      .describe('Share of streams that fail midway with an `errors` event (timeoutProvider). Drawn per stream. @default 0'),
    streamCut: z.number().min(0).max(1).default(0).describe('Share of streams whose connection is cut midway, without a final chunk. Drawn per stream. @default 0'),
    slowStream: z.number().min(0).max(1).default(0).describe('Share of streams that take 10 times as long, with keep-alives while nothing comes. Drawn per stream. @default 0'),
    webhookLost: z
      .number()
      .min(0)
      .max(1)
      .default(0)
      .describe('Share of async results never POSTed to their webhookURL (the client polls for them past its fallback). Drawn per result. @default 0'),
    webhookDuplicate: z.number().min(0).max(1).default(0).describe('Share of async results POSTed to their webhookURL twice. Drawn per result. @default 0'),
    admitConcurrency: z
      .int()
      .min(1)
      .optional()
      .describe('Requests the simulator works on at once; more are answered 429 at once (like a full queue).'),
  })
  .refine((f) => FAULT_KINDS.reduce((sum, k) => sum + f[k], 0) <= 1, { message: 'the fault shares add up to more than 1' })
  .describe('Faults to inject (all off by default).');

export type Faults = z.infer<typeof FaultsSchema>;

