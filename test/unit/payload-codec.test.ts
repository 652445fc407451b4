import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { loadConfig } from '../../src/config';
import { createEncryptionCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA, PayloadDecryptionError } from '../../src/temporal/codec';
import { fromJsonPayload, toJsonPayload, tokenMatches } from '../../src/api/codec';

const key = (): Buffer => randomBytes(32);
const text = (bytes: Uint8Array | null | undefined): string => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');
const input = { postId: 'post_01J9Z', scheduledAt: '2026-03-01T09:00:00+01:00', targetIds: ['tgt_1'] };

describe('payload encryption (AES-256-GCM codec)', () => {
  it('round-trips a workflow input, and what Temporal stores reveals none of it', async () => {
    const codec = createEncryptionCodec({ k1: key() });
    const plain = defaultPayloadConverter.toPayload(input);
    const [sealed] = await codec.encode([plain]);
    assert.equal(text(sealed!.metadata!.encoding), ENCRYPTED_ENCODING);
    assert.equal(text(sealed!.metadata![KEY_ID_METADATA]), 'k1');
    assert.doesNotMatch(Buffer.from(sealed!.data!).toString('latin1'), /post_01J9Z|json\/plain/);
    const [opened] = await codec.decode([sealed!]);
    assert.deepEqual(defaultPayloadConverter.fromPayload(opened!), input);
  });

  it('encrypts the same payload differently each time (fresh IV)', async () => {
    const codec = createEncryptionCodec({ k1: key() });
    const plain = defaultPayloadConverter.toPayload(input);
    const [a, b] = await codec.encode([plain, plain]);
    assert.notDeepEqual(Buffer.from(a!.data!), Buffer.from(b!.data!));
  });

  it('after a rotation, encrypts with the new first key and still decrypts what the old key sealed', async () => {
    const oldKey = key();
    const before = createEncryptionCodec({ k1: oldKey });
    const [sealedBefore] = await before.encode([defaultPayloadConverter.toPayload(input)]);
    const after = createEncryptionCodec({ k2: key(), k1: oldKey });
    const [sealedAfter] = await after.encode([defaultPayloadConverter.toPayload(input)]);
    assert.equal(text(sealedAfter!.metadata![KEY_ID_METADATA]), 'k2');
    const opened = await after.decode([sealedBefore!, sealedAfter!]);
    assert.deepEqual(
      opened.map((p) => defaultPayloadConverter.fromPayload(p)),
      [input, input],
    );
  });

  it('refuses a payload whose key was removed from the ring, naming the key', async () => {
    const [sealed] = await createEncryptionCodec({ k1: key() }).encode([defaultPayloadConverter.toPayload(input)]);
    await assert.rejects(
      createEncryptionCodec({ k2: key() }).decode([sealed!]),
      (err: Error) => err instanceof PayloadDecryptionError && /"k1"/.test(err.message),
    );
  });

  it('detects a flipped bit in the ciphertext, and a payload relabelled with another key id', async () => {
    const k1 = key();
    const codec = createEncryptionCodec({ k1, k2: k1 });
    const [sealed] = await codec.encode([defaultPayloadConverter.toPayload(input)]);
    const tampered: Payload = { ...sealed!, data: Buffer.from(sealed!.data!) };
    tampered.data![20] ^= 0x01;
    await assert.rejects(codec.decode([tampered]), PayloadDecryptionError);
    const relabelled: Payload = { ...sealed!, metadata: { ...sealed!.metadata, [KEY_ID_METADATA]: Buffer.from('k2') } };
    await assert.rejects(codec.decode([relabelled]), PayloadDecryptionError, 'the key id is authenticated');
  });

  it('passes through payloads written before encryption was switched on', async () => {
    const codec = createEncryptionCodec({ k1: key() });
    const plain = defaultPayloadConverter.toPayload(input);
    const [out] = await codec.decode([plain]);
    assert.deepEqual(out, plain);
  });

  it('reads ENCRYPTION_KEY as a kid:base64 ring whose first key encrypts, and rejects a short key', () => {
    const [a, b] = [key(), key()];
    const config = loadConfig({ ENCRYPTION_KEY: `new:${a.toString('base64')},old:${b.toString('base64')}` });
    assert.deepEqual(Object.keys(config.ENCRYPTION_KEY ?? {}), ['new', 'old']);
    assert.throws(() => loadConfig({ ENCRYPTION_KEY: `k1:${randomBytes(16).toString('base64')}` }), /ENCRYPTION_KEY/);
  });
});

describe('codec endpoint plumbing', () => {
  it("converts between the codec server's JSON (base64 fields) and payloads without loss", () => {
    const payload = defaultPayloadConverter.toPayload(input);
    assert.deepEqual(fromJsonPayload(toJsonPayload(payload)), { metadata: payload.metadata, data: payload.data });
  });

  it('compares codec tokens exactly', () => {
    assert.equal(tokenMatches('s3cret-token-0123456789', 's3cret-token-0123456789'), true);
    assert.equal(tokenMatches('s3cret-token-012345678', 's3cret-token-0123456789'), false);
    assert.equal(tokenMatches(undefined, 's3cret-token-0123456789'), false);
  });
});
