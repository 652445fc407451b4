// One call to the pinflow API: authentication, JSON or multipart bodies, errors as PinflowError, and retries
// (429 and 5xx always; a failed connection only when repeating the request is harmless).
import { errorFromAnswer, errorFromFailure, invalidAnswer, type PinflowError } from './errors.js';
import { isRetryableStatus, retryDelayMs } from './retry.js';
import { VERSION } from './version.js';

export interface TransportOptions {
  apiKey: string;
  baseUrl: string;
  timeoutMs: number;
  maxRetries: number;
}

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON; FormData is sent as multipart. */
  body?: unknown;
  /** Sent as `Idempotency-Key`, the same on every retry. */
  idempotencyKey?: string;
  /** Whether sending the request twice is harmless; by default GET, DELETE and anything with an idempotency key. */
  idempotent?: boolean;
}

export type Transport = <T>(spec: RequestSpec) => Promise<T>;

type Attempt = { ok: true; value: unknown } | { ok: false; error: PinflowError; retryable: boolean; retryAfter: string | null };

export function createTransport(options: TransportOptions): Transport {
  const base = options.baseUrl.replace(/\/+$/, '');
  return async <T>(spec: RequestSpec): Promise<T> => {
    const url = urlOf(base, spec);
    const init = requestInit(options.apiKey, spec);
    const idempotent = spec.idempotent ?? (spec.method === 'GET' || spec.method === 'DELETE' || spec.idempotencyKey !== undefined);
    for (let retry = 0; ; retry++) {
      const attempt = await send(url, init, options.timeoutMs, idempotent);
      if (attempt.ok) return attempt.value as T;
      const delay = attempt.retryable && retry < options.maxRetries ? retryDelayMs(retry, attempt.retryAfter) : undefined;
      if (delay === undefined) throw attempt.error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  };
}

async function send(url: string, init: RequestInit, timeoutMs: number, idempotent: boolean): Promise<Attempt> {
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { ...init, signal });
    text = await response.text();
  } catch (err) {
    // Whether the server acted on the request is unknown: only a harmless repeat may be sent.
    return { ok: false, error: errorFromFailure(err, signal.aborted), retryable: idempotent, retryAfter: null };
  }
  const requestId = response.headers.get('x-request-id') ?? undefined;
  const body = parseJson(text);
  if (response.ok) {
    if (text !== '' && body === undefined) {
      const error = invalidAnswer(response.status, `HTTP ${response.status} with a body that is not JSON`, requestId);
      return { ok: false, error, retryable: false, retryAfter: null };
    }
    return { ok: true, value: body };
  }
  return {
    ok: false,
    error: errorFromAnswer(response.status, body, requestId),
    retryable: isRetryableStatus(response.status),
    retryAfter: response.headers.get('retry-after'),
  };
}

function requestInit(apiKey: string, spec: RequestSpec): RequestInit {
  const headers: Record<string, string> = {
    authorization: `Bearer ${apiKey}`,
    accept: 'application/json',
    'user-agent': `pinflow-node/${VERSION} node/${process.version}`,
  };
  if (spec.idempotencyKey !== undefined) headers['idempotency-key'] = spec.idempotencyKey;
  if (spec.body === undefined) return { method: spec.method, headers };
  // FormData sets its own content type, with the multipart boundary.
  if (spec.body instanceof FormData) return { method: spec.method, headers, body: spec.body };
  headers['content-type'] = 'application/json';
  return { method: spec.method, headers, body: JSON.stringify(spec.body) };
}

function urlOf(base: string, { path, query }: RequestSpec): string {
  const url = new URL(base + path);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  return url.toString();
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Path segments from the caller (ids) are escaped, so an id can never reach another route. */
export function segment(value: string): string {
  return encodeURIComponent(value);
}
