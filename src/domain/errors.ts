// Every error code pinflow answers with, and the one error type that carries a code across the edges
// (API → 4xx body, activity → non-retryable ApplicationFailure, SDK → PinflowError).

export const errorCodes = {
  // The guide's "Common errors".
  PIN_BOARD_REQUIRED: { status: 422, meaning: 'platformOptions.board is missing. Pass a board id.' },
  PIN_BOARD_NOT_FOUND: {
    status: 422,
    meaning: 'The board id is not a board of this Pinterest account. List the account boards and pick one.',
  },
  PIN_CAROUSEL_SIZE: { status: 422, meaning: 'A carousel needs 2 to 5 images.' },
  PIN_MIXED_ASPECT: { status: 422, meaning: 'Carousel slides must all be 1:1 or all be 2:3 (or ask for "fit": "pad" | "crop").' },
  PIN_VIDEO_NOT_SUPPORTED: { status: 422, meaning: 'Video is not supported on Pinterest pins.' },
  PIN_LINK_INVALID: { status: 422, meaning: 'The link is not an http(s) URL or did not resolve.' },
  PIN_RATE_LIMITED: { status: 429, meaning: 'Pinterest rate-limited this account; pinflow retries with backoff.' },

  // Ours: content limits.
  PIN_TITLE_TOO_LONG: { status: 422, meaning: 'The pin title is longer than 100 characters.' },
  PIN_DESCRIPTION_TOO_LONG: { status: 422, meaning: 'The description (content/caption) is longer than 500 characters.' },
  PIN_ALT_TEXT_TOO_LONG: { status: 422, meaning: 'altText is longer than 500 characters.' },
  PIN_FIRST_COMMENT_UNSUPPORTED: { status: 422, meaning: 'Pinterest has no comment API: firstComment is rejected.' },
  PIN_MULTIPLE_BOARDS: { status: 422, meaning: 'One pin lands on one board: create one target (or post) per board.' },
  PIN_MEDIA_REQUIRED: { status: 422, meaning: 'A pin needs at least one image.' },
  PIN_PLATFORM_UNSUPPORTED: { status: 422, meaning: 'platformOptions.platform must be "PINTEREST".' },
  PIN_SECTION_NOT_FOUND: { status: 422, meaning: 'The board section is not a section of that board.' },

  // Ours: media.
  PIN_MEDIA_FORMAT: { status: 422, meaning: 'Images must be JPEG or PNG (read from the bytes, not the name).' },
  PIN_MEDIA_TOO_LARGE: { status: 413, meaning: 'Images are at most 20 MB.' },
  PIN_IMAGE_TOO_SMALL: { status: 422, meaning: 'Images are at least 600 × 900 pixels.' },
  PIN_ASPECT_RATIO: { status: 422, meaning: 'A single pin may not be taller than 1:2.1; carousel slides must be 1:1 or 2:3.' },
  MEDIA_NOT_FOUND: { status: 404, meaning: 'No media with this id in this workspace.' },
  MEDIA_FETCH_FAILED: {
    status: 422,
    meaning: 'The image URL could not be fetched (not http(s), a private address, too large, too slow, or an error answer).',
  },
  MEDIA_IN_USE: { status: 409, meaning: 'The media is used by a scheduled post; cancel or edit the post first.' },
  MEDIA_UNREADABLE: {
    status: 422,
    meaning: 'The bytes are not a readable image (truncated or corrupt), or decoding them would take too many pixels.',
  },

  // Ours: posts and time.
  POST_NOT_FOUND: { status: 404, meaning: 'No post with this id in this workspace.' },
  POST_TARGET_REQUIRED: { status: 422, meaning: 'A post needs at least one target (platforms[] or targets[]).' },
  POST_TIME_INVALID: { status: 422, meaning: 'The time is not ISO 8601, or has no offset and no timezone was given.' },
  POST_TIME_IN_PAST: { status: 422, meaning: 'scheduledAt is in the past (beyond a small tolerance).' },
  POST_TIMEZONE_INVALID: { status: 422, meaning: 'timezone is not an IANA time zone name.' },
  POST_NOT_EDITABLE: { status: 409, meaning: 'Publishing has begun (or ended): the post can no longer be edited or canceled.' },
  ACCOUNT_NOT_FOUND: { status: 422, meaning: 'The account id is not a connected account of this workspace.' },
  ACCOUNT_RECONNECT_REQUIRED: { status: 409, meaning: 'The Pinterest connection expired or was revoked: reconnect the account.' },
  ACCOUNT_IN_USE: { status: 409, meaning: 'Posts waiting to publish target this account: cancel them (or wait) before removing it.' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, meaning: 'This Idempotency-Key was used with a different request body.' },
  OUTCOME_UNKNOWN: { status: 409, meaning: 'Pinterest may or may not have created the pin; pinflow did not retry to avoid a duplicate.' },

  // Ours: accounts and OAuth.
  OAUTH_DENIED: { status: 400, meaning: 'The Pinterest user did not grant access.' },
  OAUTH_STATE_INVALID: { status: 400, meaning: 'The OAuth state is missing, forged, expired or already used.' },
  OAUTH_EXCHANGE_FAILED: { status: 502, meaning: 'Pinterest refused to exchange the authorization code or the token.' },
  PINTEREST_TOKEN_INVALID: { status: 401, meaning: 'Pinterest rejected the access token (expired or revoked).' },
  PINTEREST_SCOPE_MISSING: { status: 403, meaning: 'The token lacks a scope this call needs; reconnect with the required scopes.' },
  PINTEREST_FORBIDDEN: { status: 403, meaning: 'Pinterest does not allow this app or user to do that.' },
  PINTEREST_NOT_FOUND: { status: 404, meaning: 'Pinterest has no such resource.' },
  PINTEREST_REJECTED: { status: 422, meaning: 'Pinterest refused the request as invalid.' },
  PINTEREST_SPAM_BLOCKED: { status: 429, meaning: 'Pinterest blocked the action as spam; pinflow waits hours, not seconds.' },
  PINTEREST_UNAVAILABLE: { status: 502, meaning: 'Pinterest failed or timed out; pinflow retries.' },

  // Ours: webhooks.
  WEBHOOK_NOT_FOUND: { status: 404, meaning: 'No webhook with this id in this workspace.' },
  WEBHOOK_DELIVERY_NOT_FOUND: { status: 404, meaning: 'No delivery with this id for this webhook.' },
  WEBHOOK_URL_INVALID: { status: 422, meaning: 'The webhook URL is not an http(s) URL, carries credentials, or does not resolve.' },
  WEBHOOK_URL_FORBIDDEN: { status: 422, meaning: 'The webhook URL resolves to a private, loopback or link-local address.' },
  WEBHOOK_RECEIVER_REJECTED: { status: 502, meaning: 'The receiver answered a 3xx or 4xx (not 408/429): the delivery is not retried.' },
  WEBHOOK_RECEIVER_UNAVAILABLE: {
    status: 502,
    meaning: 'The receiver failed, timed out or asked to come back; pinflow retries for up to 24 hours.',
  },

  // Ours: the API itself.
  UNAUTHORIZED: { status: 401, meaning: 'Missing or unknown API key (Authorization: Bearer pf_live_…).' },
  NOT_FOUND: { status: 404, meaning: 'No such route or resource.' },
  VALIDATION_FAILED: { status: 400, meaning: 'The request body, query or path does not match the schema.' },
  BODY_TOO_LARGE: { status: 413, meaning: 'The request body is larger than allowed.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, meaning: 'The Content-Type is not accepted on this route.' },
  MALFORMED_REQUEST: { status: 400, meaning: 'The HTTP request itself could not be parsed; the connection is closed.' },
  REQUEST_TIMEOUT: {
    status: 408,
    meaning: 'The request (headers and body) did not arrive within HTTP_REQUEST_TIMEOUT_MS; the connection is closed.',
  },
  HEADERS_TOO_LARGE: { status: 431, meaning: 'The request headers are larger than Node allows (16 KB); the connection is closed.' },
  RATE_LIMITED: { status: 429, meaning: 'Too many requests to pinflow; slow down.' },
  SERVICE_UNAVAILABLE: { status: 503, meaning: 'A dependency (database or Temporal) is unavailable; retry shortly.' },
  INTERNAL: { status: 500, meaning: 'An unexpected error; it is logged with the request id.' },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ErrorCode = keyof typeof errorCodes;

/** One problem with a request: a code, a message for people, and where it is. */
export interface Problem {
  code: ErrorCode;
  message: string;
  path?: string;
  target?: number;
}

/** The one error type with a code; it may carry several problems (all reported at once). */
export class PinflowError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly problems: Problem[];

  constructor(code: ErrorCode, message?: string, problems?: Problem[]) {
    super(message ?? errorCodes[code].meaning);
    this.name = 'PinflowError';
    this.code = code;
    this.status = errorCodes[code].status;
    this.problems = problems ?? [{ code, message: this.message }];
  }

  /** Several problems as one error; the first decides the status unless they disagree (then 422). */
  static of(problems: Problem[]): PinflowError {
    const first = problems[0];
    if (!first) throw new Error('PinflowError.of needs at least one problem');
    const err = new PinflowError(first.code, first.message, problems);
    return err;
  }
}

export function problem(code: ErrorCode, message: string, where: { path?: string; target?: number } = {}): Problem {
  return { code, message, ...where };
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && value in errorCodes;
}
