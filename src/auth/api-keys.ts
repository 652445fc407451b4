// API keys: `pf_live_<random>`, shown once, stored as an HMAC-SHA256 under the server secret. A leaked
// database alone cannot be turned back into working keys, and lookup is by the HMAC (an index hit).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const keyPrefix = 'pf_live_';

export interface NewApiKey {
  /** The whole key: shown to the user once, never stored. */
  key: string;
  /** The first characters, stored and listed so a user can tell keys apart. */
  prefix: string;
  hash: Buffer;
}

export function hashApiKey(key: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(key).digest();
}

export function generateApiKey(secret: string): NewApiKey {
  const key = keyPrefix + randomBytes(24).toString('base64url');
  return { key, prefix: key.slice(0, keyPrefix.length + 6), hash: hashApiKey(key, secret) };
}

export function looksLikeApiKey(value: string): boolean {
  return value.startsWith(keyPrefix) && value.length > keyPrefix.length + 20 && value.length < 200;
}

export function sameHash(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
