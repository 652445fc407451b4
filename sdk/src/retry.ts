// When to try a request again, and after how long: exponential backoff with jitter, or the server's Retry-After.

/** The first retry waits 250–500 ms, doubling up to 8 s. */
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;
/** A Retry-After longer than this is not waited for: the error goes to the caller, who can schedule better. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** 429 and 5xx are worth another try; any other status is the same answer next time. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** "Equal jitter": half the exponential step for sure, the other half at random, so clients spread out. */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  const step = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** retry);
  return step / 2 + random() * (step / 2);
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds from `now`; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** How long to wait before retry number `retry` (0-based), or undefined when the server asks for too long. */
export function retryDelayMs(retry: number, retryAfterHeader: string | null): number | undefined {
  const asked = retryAfterMs(retryAfterHeader);
  if (asked === undefined) return backoffMs(retry);
  return asked <= MAX_RETRY_AFTER_MS ? asked : undefined;
}
