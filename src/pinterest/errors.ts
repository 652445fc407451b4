// What a failed Pinterest call means for us: one error type, and the pure mapping from what happened
// (an HTTP answer, a timeout, a dropped connection) to our error code and to what a retry may do.
import type { ErrorCode } from '../domain/errors';
import { pinterestErrorBodySchema } from './schemas';

/** Spam blocks are lifted by time, not by retries: wait hours ([OFFICIAL-CODE] quickstart, [OBSERVED]). */
export const SPAM_COOLDOWN_MS = 6 * 60 * 60 * 1000;

type Headers = Record<string, string | string[] | undefined>;

/** The facts of a failure, before any interpretation. */
export type PinterestFailure =
  | {
      kind: 'response';
      method: string;
      status: number;
      /** The parsed JSON body, or undefined when there was none or it was not JSON. */
      body: unknown;
      headers: Headers;
      /** The token endpoint speaks for the app, not for a user: its 4xx mean the exchange failed. */
      oauth?: boolean;
    }
  | {
      kind: 'network';
      method: string;
      timedOut: boolean;
      /** False when no connection was made (refused, unknown host): the request cannot have arrived. */
      connected: boolean;
    }
  | {
      /** A 2xx whose body is not what the spec promises. */
      kind: 'malformed';
      method: string;
      status: number;
    };

export interface FailureMeaning {
  code: ErrorCode;
  retryable: boolean;
  /** The request may have taken effect although we saw no success: reconcile before repeating it. */
  outcomeUnknown: boolean;
  retryAfterMs?: number;
  cooldownMs?: number;
  pinterestCode?: number;
  pinterestMessage?: string;
}

export function classifyPinterestFailure(failure: PinterestFailure, now: number = Date.now()): FailureMeaning {
  // POST is the one method here that creates something (a pin, a token): if it may have been
  // processed, a blind repeat could create a second one.
  const creates = failure.method.toUpperCase() === 'POST';
  if (failure.kind === 'network') {
    return { code: 'PINTEREST_UNAVAILABLE', retryable: true, outcomeUnknown: creates && (failure.connected || failure.timedOut) };
  }
  if (failure.kind === 'malformed') {
    return { code: 'PINTEREST_UNAVAILABLE', retryable: true, outcomeUnknown: creates };
  }
  const parsed = pinterestErrorBodySchema.safeParse(failure.body);
  const pinterestCode = parsed.success ? parsed.data.code : undefined;
  const pinterestMessage = parsed.success ? parsed.data.message : undefined;
  const said = parsed.success ? `${parsed.data.message} ${parsed.data.message_detail ?? ''}` : '';
  const base = { pinterestCode, pinterestMessage, outcomeUnknown: false };
  const { status } = failure;

  if (status === 429) {
    if (/spam/i.test(said)) return { ...base, code: 'PINTEREST_SPAM_BLOCKED', retryable: false, cooldownMs: SPAM_COOLDOWN_MS };
    return { ...base, code: 'PIN_RATE_LIMITED', retryable: true, retryAfterMs: retryAfterMs(failure.headers, now) };
  }
  if (status >= 500 || status === 408) {
    // A gateway may give up while the backend goes on creating the pin.
    return { ...base, code: 'PINTEREST_UNAVAILABLE', retryable: true, outcomeUnknown: creates };
  }
  if (failure.oauth && status >= 400) return { ...base, code: 'OAUTH_EXCHANGE_FAILED', retryable: false };
  return { ...base, ...meaningOfRefusal(status, pinterestCode, said) };
}

function meaningOfRefusal(status: number, pinterestCode: number | undefined, said: string): { code: ErrorCode; retryable: boolean } {
  const final = (code: ErrorCode) => ({ code, retryable: false });
  switch (status) {
    case 400:
      // Pinterest failing to download an image is its side's trouble, and passes ([OBSERVED] Postiz).
      if (/could not fetch the image|unable to reach the url/i.test(said)) return { code: 'PINTEREST_UNAVAILABLE', retryable: true };
      if (pinterestCode === 1 && /invalid url/i.test(said)) return final('PIN_LINK_INVALID');
      return final('PINTEREST_REJECTED');
    case 401:
      // Code 3 is a token without the scope; refreshing would not help.
      return final(pinterestCode === 3 ? 'PINTEREST_SCOPE_MISSING' : 'PINTEREST_TOKEN_INVALID');
    case 403:
      if (pinterestCode === 233) return final('PIN_IMAGE_TOO_SMALL');
      if (pinterestCode === 235) return final('MEDIA_UNREADABLE');
      return final('PINTEREST_FORBIDDEN');
    case 404:
      // The spec's own example for a missing board says code 404, the older one code 40.
      if (pinterestCode === 2031 || /board section/i.test(said)) return final('PIN_SECTION_NOT_FOUND');
      if (pinterestCode === 40 || /board not found/i.test(said)) return final('PIN_BOARD_NOT_FOUND');
      return final('PINTEREST_NOT_FOUND');
    default:
      return final(status >= 400 ? 'PINTEREST_REJECTED' : 'PINTEREST_UNAVAILABLE');
  }
}

/**
 * How long a 429 asks us to wait: `Retry-After` (seconds or an HTTP date) if present, else
 * `X-RateLimit-Reset` (seconds until the window resets, as Airbyte reads it [OBSERVED]; a value that
 * can only be an epoch time is read as one), else unknown.
 */
export function retryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const retryAfter = header(headers, 'retry-after');
  if (retryAfter !== undefined) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.ceil(Number(retryAfter) * 1000);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const reset = header(headers, 'x-ratelimit-reset');
  if (reset !== undefined && /^\d+(\.\d+)?$/.test(reset)) {
    const seconds = Number(reset);
    const epochSeconds = 1_000_000_000;
    return seconds >= epochSeconds ? Math.max(0, seconds * 1000 - now) : Math.ceil(seconds * 1000);
  }
  return undefined;
}

export function header(headers: Headers, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** A Pinterest call that did not succeed. Never carries the access token, in the message or elsewhere. */
export class PinterestApiError extends Error {
  override readonly name = 'PinterestApiError';
  readonly code: ErrorCode;
  /** Pinterest's HTTP status, or 0 when there was no answer (network failure, timeout). */
  readonly status: number;
  readonly pinterestCode?: number;
  readonly pinterestMessage?: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly cooldownMs?: number;
  readonly outcomeUnknown: boolean;
  /** `x-pinterest-rid`, for Pinterest support. */
  readonly requestId?: string;
  /** `METHOD /v5/path/{template}`. */
  readonly operation: string;

  constructor(
    meaning: FailureMeaning & { status: number; operation: string; requestId?: string; detail?: string },
    options?: { cause?: unknown },
  ) {
    super(describe(meaning), options);
    this.code = meaning.code;
    this.status = meaning.status;
    this.pinterestCode = meaning.pinterestCode;
    this.pinterestMessage = meaning.pinterestMessage;
    this.retryable = meaning.retryable;
    this.retryAfterMs = meaning.retryAfterMs;
    this.cooldownMs = meaning.cooldownMs;
    this.outcomeUnknown = meaning.outcomeUnknown;
    this.requestId = meaning.requestId;
    this.operation = meaning.operation;
  }
}

function describe(meaning: FailureMeaning & { status: number; operation: string; detail?: string }): string {
  const answer =
    meaning.status === 0
      ? (meaning.detail ?? 'no answer')
      : `HTTP ${meaning.status}${meaning.pinterestCode === undefined ? '' : ` code ${meaning.pinterestCode}`}${
          meaning.pinterestMessage ? `: ${meaning.pinterestMessage}` : meaning.detail ? `: ${meaning.detail}` : ''
        }`;
  return `Pinterest ${meaning.operation} failed (${meaning.code}): ${answer}`;
}

export function isPinterestApiError(value: unknown): value is PinterestApiError {
  return value instanceof PinterestApiError;
}
