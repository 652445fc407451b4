// Pinterest tokens at rest: AES-256-GCM under the TOKEN_ENCRYPTION_KEYS ring. A blob names the key that
// sealed it, so a new current key encrypts while every older key still decrypts (rotation without a
// migration). The account id and the token's kind are the associated data: a blob copied to another row,
// or from the refresh column to the access column, fails to decrypt instead of lending its token.
//
// Blob layout: version (1 byte) | key id length (1 byte) | key id (utf8) | IV (12) | tag (16) | ciphertext.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Secrets } from '../infra/secrets';

export type TokenKeys = Pick<Secrets, 'tokenKeys' | 'currentKeyId'>;

/** `webhook_secret`: a webhook's signing secret, sealed the same way and bound to the webhook's id. */
export type TokenKind = 'access' | 'refresh' | 'webhook_secret';

/** Where a token belongs; a blob decrypts only for the binding it was sealed with. */
export interface TokenBinding {
  accountId: string;
  kind: TokenKind;
}

const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ALGORITHM = 'aes-256-gcm';

/** Thrown for any blob that cannot be opened; it never carries key material or plaintext. */
export class TokenDecryptionError extends Error {
  override readonly name = 'TokenDecryptionError';
}

function associatedData(binding: TokenBinding): Buffer {
  return Buffer.from(`pinflow/token/v${FORMAT_VERSION}/${binding.kind}/${binding.accountId}`, 'utf8');
}

export function encryptToken(keys: TokenKeys, plaintext: string, binding: TokenBinding): Buffer {
  const kid = Buffer.from(keys.currentKeyId, 'utf8');
  const key = keys.tokenKeys[keys.currentKeyId];
  if (!key) throw new Error(`the current token key ${keys.currentKeyId} is not in the key ring`);
  if (kid.length === 0 || kid.length > 255) throw new Error('a token key id is 1 to 255 bytes');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(binding));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT_VERSION, kid.length]), kid, iv, cipher.getAuthTag(), ciphertext]);
}

interface Sealed {
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

function parseBlob(blob: Buffer): Sealed {
  if (blob.length < 2 || blob[0] !== FORMAT_VERSION) throw new TokenDecryptionError('not a pinflow token blob (unknown format)');
  const kidEnd = 2 + (blob[1] ?? 0);
  const ivEnd = kidEnd + IV_BYTES;
  const tagEnd = ivEnd + TAG_BYTES;
  if (blob.length < tagEnd) throw new TokenDecryptionError('token blob is truncated');
  return {
    keyId: blob.subarray(2, kidEnd).toString('utf8'),
    iv: blob.subarray(kidEnd, ivEnd),
    tag: blob.subarray(ivEnd, tagEnd),
    ciphertext: blob.subarray(tagEnd),
  };
}

/** The id of the key that sealed a blob: which rows still need re-encrypting after a rotation. */
export function tokenKeyId(blob: Buffer): string {
  return parseBlob(blob).keyId;
}

export function decryptToken(keys: TokenKeys, blob: Buffer, binding: TokenBinding): string {
  const sealed = parseBlob(blob);
  const key = keys.tokenKeys[sealed.keyId];
  if (!key) throw new TokenDecryptionError(`token was sealed with key "${sealed.keyId}", which is not in TOKEN_ENCRYPTION_KEYS`);
  const decipher = createDecipheriv(ALGORITHM, key, sealed.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(associatedData(binding));
  decipher.setAuthTag(sealed.tag);
  try {
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new TokenDecryptionError(
      `token does not open for ${binding.kind} token of account ${binding.accountId} (tampered, or moved from another row)`,
    );
  }
}
