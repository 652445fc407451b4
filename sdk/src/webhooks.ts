// Verifying that a webhook request came from pinflow: the `Pinflow-Signature` header is
// `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. Standalone (node:crypto only), so a
// receiver can use it without the rest of the SDK.
import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The body of every webhook request. The server's zod schema (`webhookEventSchema`) is the definition;
 * this is the part of it a receiver reads, kept here so the verifier needs nothing else.
 */
export interface WebhookEvent {
  /** `evt_…`: the same logical event always has the same id, so deduplicate on it (deliveries are at least once). */
  id: string;
  type: string;
  createdAt: string;
  data: {
    postId?: string;
    targetId?: string;
    pinId?: string;
    pinUrl?: string;
    accountId?: string;
    errorCode?: string;
    status?: string;
  };
}

export type WebhookVerificationFailure =
  'header_missing' | 'header_malformed' | 'timestamp_outside_tolerance' | 'signature_mismatch' | 'payload_invalid';

export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
  constructor(
    readonly reason: WebhookVerificationFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface VerifyWebhookOptions {
  /** The raw request body, exactly as received: parsing and re-serializing JSON changes the bytes. */
  payload: string | Uint8Array;
  /** The `Pinflow-Signature` header. */
  header: string | readonly string[] | null | undefined;
  /** The webhook's secret (`whsec_…`), shown once when the webhook was created. */
  secret: string;
  /** How far the signed time may be from now, in seconds: 300 unless given. Refuses replays of old requests. */
  toleranceSec?: number;
  /** The current time in unix seconds; the clock unless given. */
  now?: number;
}

export const DEFAULT_TOLERANCE_SEC = 300;

interface ParsedHeader {
  timestamp: number;
  signatures: string[];
}

function parseHeader(header: VerifyWebhookOptions['header']): ParsedHeader {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value !== 'string' || value.trim() === '') throw new WebhookVerificationError('header_missing', 'no Pinflow-Signature header');
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of value.split(',')) {
    const [key, item] = part.trim().split('=', 2);
    if (key === 't' && item && /^\d+$/.test(item)) timestamp = Number(item);
    // Several v1 values may be sent (e.g. while a secret is rotated): any one that matches is enough.
    if (key === 'v1' && item) signatures.push(item);
  }
  if (timestamp === undefined || signatures.length === 0) {
    throw new WebhookVerificationError('header_malformed', 'Pinflow-Signature must be t=<unix seconds>,v1=<hex signature>');
  }
  return { timestamp, signatures };
}

function matches(expected: Buffer, candidate: string): boolean {
  if (!/^[0-9a-f]{64}$/i.test(candidate)) return false;
  // Constant time: how much of a forged signature is right must not show in how long the check takes.
  return timingSafeEqual(expected, Buffer.from(candidate, 'hex'));
}

/** The event, when the header proves pinflow signed this exact body recently; throws WebhookVerificationError otherwise. */
export function verifyWebhook(options: VerifyWebhookOptions): WebhookEvent {
  const { timestamp, signatures } = parseHeader(options.header);
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const tolerance = options.toleranceSec ?? DEFAULT_TOLERANCE_SEC;
  if (Math.abs(now - timestamp) > tolerance) {
    throw new WebhookVerificationError('timestamp_outside_tolerance', `signed at ${timestamp}, more than ${tolerance} s from now (${now})`);
  }
  const body = typeof options.payload === 'string' ? Buffer.from(options.payload, 'utf8') : Buffer.from(options.payload);
  const expected = createHmac('sha256', options.secret).update(`${timestamp}.`, 'utf8').update(body).digest();
  if (!signatures.some((s) => matches(expected, s))) {
    throw new WebhookVerificationError('signature_mismatch', 'no signature matches this body and secret');
  }
  try {
    return JSON.parse(body.toString('utf8')) as WebhookEvent;
  } catch {
    throw new WebhookVerificationError('payload_invalid', 'the body is signed but is not JSON');
  }
}
