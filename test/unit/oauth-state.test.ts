import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newStateNonce, OAUTH_STATE_TTL_MS, signState, verifyState } from '../../src/accounts/oauth-state';
import { PinflowError } from '../../src/domain/errors';

const secret = 'a-server-secret-of-at-least-32-characters';
const now = Date.parse('2026-03-01T10:00:00Z');
const state = { workspaceId: 'ws_aaaaaaaaaaaaaaaaaaaa', nonce: newStateNonce(), expiresAt: now + OAUTH_STATE_TTL_MS };

function isStateInvalid(err: unknown): boolean {
  return err instanceof PinflowError && err.code === 'OAUTH_STATE_INVALID';
}

describe('OAuth state', () => {
  it('carries the workspace, the nonce and the expiry back unchanged', () => {
    assert.deepEqual(verifyState(secret, signState(secret, state), now), state);
  });

  it('is URL-safe, so it survives the round trip through Pinterest', () => {
    assert.match(signState(secret, state), /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('expires ten minutes after it was issued', () => {
    const signed = signState(secret, state);
    assert.doesNotThrow(() => verifyState(secret, signed, now + OAUTH_STATE_TTL_MS - 1));
    assert.throws(() => verifyState(secret, signed, now + OAUTH_STATE_TTL_MS), isStateInvalid);
  });

  it('rejects a state signed with another secret with OAUTH_STATE_INVALID', () => {
    const forged = signState('another-secret-that-is-also-32-chars-long', state);
    assert.throws(() => verifyState(secret, forged, now), isStateInvalid);
  });

  it('rejects a state whose workspace was changed after signing', () => {
    const [, signature] = signState(secret, state).split('.');
    const payload = Buffer.from(JSON.stringify({ ...state, workspaceId: 'ws_bbbbbbbbbbbbbbbbbbbb' })).toString('base64url');
    assert.throws(() => verifyState(secret, `${payload}.${signature}`, now), isStateInvalid);
  });

  it('rejects a missing, empty or malformed state', () => {
    for (const bad of [undefined, '', 'abc', 'a.b.c', '.', `${signState(secret, state)}x`, 'bm90IGpzb24.AAAA']) {
      assert.throws(() => verifyState(secret, bad, now), isStateInvalid, String(bad));
    }
  });

  it('makes a different nonce every time', () => {
    const nonces = new Set(Array.from({ length: 100 }, () => newStateNonce()));
    assert.equal(nonces.size, 100);
  });
});
