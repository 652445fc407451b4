// How long and how often a delivery is retried, and which receiver answers end it. Pure and import-free:
// the workflow takes its retry policy from here and the activity computes the same delays, so the
// `nextAttemptAt` in the delivery log is the time Temporal will really try again.

export const deliveryRetry = {
  initialIntervalMs: 1_000,
  backoffCoefficient: 2,
  maximumIntervalMs: 60 * 60 * 1000,
  /** Past this, counted from the first attempt, the delivery is given up. */
  deadlineMs: 24 * 60 * 60 * 1000,
} as const;

/** The wait after the `failures`-th failed attempt (1-based). */
export function backoffMs(failures: number): number {
  const { initialIntervalMs, backoffCoefficient, maximumIntervalMs } = deliveryRetry;
  const exponent = Math.max(0, failures - 1);
  return Math.min(maximumIntervalMs, initialIntervalMs * backoffCoefficient ** exponent);
}

/** The wait before the next attempt: the backoff, or longer when the receiver asked for it (Retry-After), capped. */
export function nextDelayMs(failures: number, retryAfterMs?: number): number {
  const backoff = backoffMs(failures);
  if (retryAfterMs === undefined || retryAfterMs <= backoff) return backoff;
  return Math.min(retryAfterMs, deliveryRetry.maximumIntervalMs);
}

export type AnswerKind = 'delivered' | 'rejected' | 'retry';

/**
 * 2xx is delivered. A 4xx says the receiver will never take it, except 408 and 429, which ask us to come
 * back. Redirects are not followed (the signed request must reach the URL the workspace registered), so
 * a 3xx is as final as a 4xx: retrying cannot change it. 5xx and anything else are retried.
 */
export function classifyStatus(status: number): AnswerKind {
  if (status >= 200 && status <= 299) return 'delivered';
  if (status === 408 || status === 429) return 'retry';
  if (status >= 300 && status <= 499) return 'rejected';
  return 'retry';
}

/** Retry-After as delta-seconds or an HTTP date, in milliseconds from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
