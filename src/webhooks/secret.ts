// A webhook's signing secret: made once, shown once, kept sealed (AES-256-GCM, bound to the webhook's id
// so a blob copied to another webhook does not open), and opened only by the activity that signs.
import { randomBytes } from 'node:crypto';
import { decryptToken, encryptToken, type TokenKeys } from '../accounts/token-crypto';

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function sealSecret(keys: TokenKeys, webhookId: string, secret: string): Buffer {
  return encryptToken(keys, secret, { accountId: webhookId, kind: 'webhook_secret' });
}

export function openSecret(keys: TokenKeys, webhookId: string, blob: Buffer): string {
  return decryptToken(keys, blob, { accountId: webhookId, kind: 'webhook_secret' });
}
