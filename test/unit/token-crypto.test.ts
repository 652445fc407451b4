import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { decryptToken, encryptToken, TokenDecryptionError, tokenKeyId, type TokenKeys } from '../../src/accounts/token-crypto';

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const ring: TokenKeys = { tokenKeys: { k1 }, currentKeyId: 'k1' };
const token = 'pina_' + randomBytes(24).toString('base64url');
const access = { accountId: 'soc_aaaaaaaaaaaaaaaaaaaa', kind: 'access' } as const;

describe('token encryption at rest', () => {
  it('gives the token back for the account and kind it was sealed for', () => {
    assert.equal(decryptToken(ring, encryptToken(ring, token, access), access), token);
  });

  it('never contains the token, in text or as bytes', () => {
    const blob = encryptToken(ring, token, access);
    assert.ok(!blob.includes(Buffer.from(token, 'utf8')));
    assert.ok(!blob.toString('hex').includes(Buffer.from(token).toString('hex')));
    assert.ok(!blob.toString('base64').includes(token));
  });

  it('uses a fresh IV every time, so the same token seals to different blobs', () => {
    const a = encryptToken(ring, token, access);
    const b = encryptToken(ring, token, access);
    assert.notDeepEqual(a, b);
  });

  it('names the key that sealed the blob', () => {
    assert.equal(tokenKeyId(encryptToken(ring, token, access)), 'k1');
  });

  it('refuses a blob moved to another account row', () => {
    const blob = encryptToken(ring, token, access);
    assert.throws(() => decryptToken(ring, blob, { ...access, accountId: 'soc_bbbbbbbbbbbbbbbbbbbb' }), TokenDecryptionError);
  });

  it('refuses an access-token blob read as the refresh token', () => {
    const blob = encryptToken(ring, token, access);
    assert.throws(() => decryptToken(ring, blob, { ...access, kind: 'refresh' }), TokenDecryptionError);
  });

  it('refuses a tampered blob', () => {
    const blob = encryptToken(ring, token, access);
    for (const at of [blob.length - 1, blob.length - 20, 10]) {
      const tampered = Buffer.from(blob);
      tampered[at]! ^= 0x01;
      assert.throws(() => decryptToken(ring, tampered, access), TokenDecryptionError, `byte ${at}`);
    }
  });

  it('refuses a truncated blob and a blob of another format', () => {
    const blob = encryptToken(ring, token, access);
    assert.throws(() => decryptToken(ring, blob.subarray(0, 20), access), TokenDecryptionError);
    assert.throws(() => decryptToken(ring, Buffer.from(token), access), TokenDecryptionError);
  });

  it('after a rotation, seals with the new key and still opens what the old key sealed', () => {
    const old = encryptToken(ring, token, access);
    const rotated: TokenKeys = { tokenKeys: { k2, k1 }, currentKeyId: 'k2' };
    const fresh = encryptToken(rotated, token, access);
    assert.equal(tokenKeyId(fresh), 'k2');
    assert.equal(decryptToken(rotated, old, access), token);
    assert.equal(decryptToken(rotated, fresh, access), token);
  });

  it('says which key is missing once it is dropped from the ring, without showing the token', () => {
    const blob = encryptToken(ring, token, access);
    assert.throws(
      () => decryptToken({ tokenKeys: { k2 }, currentKeyId: 'k2' }, blob, access),
      (err: Error) => err instanceof TokenDecryptionError && err.message.includes('"k1"') && !err.message.includes(token),
    );
  });

  it('refuses a blob whose key id names a different key of the same length', () => {
    const blob = encryptToken(ring, token, access);
    const wrongKey: TokenKeys = { tokenKeys: { k1: k2 }, currentKeyId: 'k1' };
    assert.throws(() => decryptToken(wrongKey, blob, access), TokenDecryptionError);
  });
});
