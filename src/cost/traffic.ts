import { EvalgateError } from '../core/evalgate-error.js';

/** Days in a month, for projections: 30. A month of traffic is 30 days of it. */
export const DAYS_PER_MONTH = 30;

/** Production traffic to project cost to (`--traffic 50000/day`). */
export interface Traffic {
  /** Requests per `per`, as given. */
  requests: number;
  per: 'day' | 'month';
  requestsPerDay: number;
  /** {@link DAYS_PER_MONTH}, recorded so a reader can redo the arithmetic. */
  daysPerMonth: number;
}

const TRAFFIC = /^\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*\/\s*(day|d|month|mo)\s*$/;

/** Parses `50000/day`, `50k/day`, `1.5M/month`. Throws a usage error naming the expected form. */
export function parseTraffic(text: string): Traffic {
  const match = TRAFFIC.exec(text);
  const scale = { '': 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6 }[match?.[2] ?? ''];
  const requests = match && scale !== undefined ? Number(match[1]) * scale : NaN;
  if (!match || !(requests > 0)) {
    throw new EvalgateError('USAGE', `--traffic: expected requests per day or month, like 50000/day or 1.5M/month, got "${text}"`, {
      hint: 'a positive number (k and M allowed), a slash, then day or month',
    });
  }
  const per = match[3]!.startsWith('d') ? 'day' : 'month';
  return { requests, per, requestsPerDay: per === 'day' ? requests : requests / DAYS_PER_MONTH, daysPerMonth: DAYS_PER_MONTH };
}
