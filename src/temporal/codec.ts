// AES-256-GCM payload encryption for everything pinflow sends to Temporal (workflow inputs, results,
// activity arguments, summaries). Temporal's database and Web UI then hold ciphertext; operators read it
// through the API's codec endpoint (src/api/codec.ts). Search attributes are not payloads and stay
// readable, which is what makes `PostId = "post_…"` searches work.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/** The metadata `encoding` of an encrypted payload (Temporal's samples use the same name). */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Metadata key naming the key that encrypted a payload, so old payloads decrypt after a rotation. */
export const KEY_ID_METADATA = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const ProtoPayload = temporal.api.common.v1.Payload;
const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');

/** Key id → 32-byte key; the first entry encrypts, every entry decrypts. */
export type KeyRing = Record<string, Buffer>;

export class PayloadDecryptionError extends Error {}

export function encryptPayload(payload: Payload, keyId: string, key: Buffer): Payload {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  // The key id is authenticated data: a payload relabelled with another key id fails to decrypt.
  cipher.setAAD(utf8(keyId));
  const plain = ProtoPayload.encode(payload).finish();
  const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return {
    metadata: { encoding: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(keyId) },
    data: sealed,
  };
}

export function isEncrypted(payload: Payload): boolean {
  const encoding = payload.metadata?.encoding;
  return encoding !== undefined && encoding !== null && Buffer.from(encoding).toString('utf8') === ENCRYPTED_ENCODING;
}

export function decryptPayload(payload: Payload, keys: KeyRing): Payload {
  const keyIdBytes = payload.metadata?.[KEY_ID_METADATA];
  const keyId = keyIdBytes ? Buffer.from(keyIdBytes).toString('utf8') : '';
  const key = keys[keyId];
  if (!key) throw new PayloadDecryptionError(`payload encrypted with key "${keyId}", which is not in ENCRYPTION_KEY`);
  const sealed = Buffer.from(payload.data ?? new Uint8Array());
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError('encrypted payload is too short');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  decipher.setAAD(utf8(keyId));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    const plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
    return ProtoPayload.decode(plain);
  } catch {
    throw new PayloadDecryptionError(`encrypted payload (key "${keyId}") failed authentication: altered, or not ours`);
  }
}

/**
 * The codec for the client and the worker. Payloads written before encryption was switched on have no
 * `binary/encrypted` encoding and pass through unchanged, so turning it on needs no migration.
 */
export function createEncryptionCodec(keys: KeyRing): PayloadCodec {
  const [currentKeyId] = Object.keys(keys);
  if (!currentKeyId) throw new Error('ENCRYPTION_KEY has no key');
  const currentKey = keys[currentKeyId]!;
  return {
    async encode(payloads) {
      return payloads.map((p) => encryptPayload(p, currentKeyId, currentKey));
    },
    async decode(payloads) {
      return payloads.map((p) => (isEncrypted(p) ? decryptPayload(p, keys) : p));
    },
  };
}

/** The `dataConverter` option for Client and Worker: the codec when ENCRYPTION_KEY is set, else nothing. */
export function dataConverterFor(keys: KeyRing | undefined): { payloadCodecs: PayloadCodec[] } | undefined {
  return keys ? { payloadCodecs: [createEncryptionCodec(keys)] } : undefined;
}
