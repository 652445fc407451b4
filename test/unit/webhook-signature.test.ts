import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verifyWebhook, WebhookVerificationError, type WebhookVerificationFailure } from '../../sdk/src/webhooks';
import { signatureHeaderValue, signatureOf } from '../../src/webhooks/signature';

const secret = 'whsec_test-secret-0123456789abcdef';
const body = JSON.stringify({
  id: 'evt_0123456789abcdefghij',
  type: 'post.published',
  createdAt: '2026-03-01T10:00:00.000Z',
  data: { postId: 'post_1' },
});
const now = 1_772_000_000;

function refusal(fn: () => unknown): WebhookVerificationFailure {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof WebhookVerificationError, String(err));
    return err.reason;
  }
  assert.fail('verification passed');
}

describe('webhook signatures and the SDK verifier', () => {
  it('accepts a body signed with the secret and gives back the event', () => {
    const header = signatureHeaderValue(secret, body, now);
    const event = verifyWebhook({ payload: body, header, secret, now });
    assert.equal(event.id, 'evt_0123456789abcdefghij');
    assert.equal(event.data.postId, 'post_1');
  });

  it('signs `t.body` with HMAC-SHA256 in hex, as docs/webhooks.md says', () => {
    const header = signatureHeaderValue(secret, body, now);
    assert.match(header, /^t=1772000000,v1=[0-9a-f]{64}$/);
    assert.equal(header, `t=${now},v1=${signatureOf(secret, now, body)}`);
  });

  it('accepts the raw body as bytes', () => {
    const header = signatureHeaderValue(secret, body, now);
    assert.equal(verifyWebhook({ payload: Buffer.from(body), header, secret, now }).type, 'post.published');
  });

  it('refuses a wrong secret', () => {
    const header = signatureHeaderValue(secret, body, now);
    assert.equal(
      refusal(() => verifyWebhook({ payload: body, header, secret: 'whsec_other', now })),
      'signature_mismatch',
    );
  });

  it('refuses a tampered body, even one changed by a single character', () => {
    const header = signatureHeaderValue(secret, body, now);
    assert.equal(
      refusal(() => verifyWebhook({ payload: body.replace('post_1', 'post_2'), header, secret, now })),
      'signature_mismatch',
    );
  });

  it('refuses a timestamp older than the tolerance (5 minutes by default), and one changed after signing', () => {
    const old = signatureHeaderValue(secret, body, now - 301);
    assert.equal(
      refusal(() => verifyWebhook({ payload: body, header: old, secret, now })),
      'timestamp_outside_tolerance',
    );
    assert.equal(verifyWebhook({ payload: body, header: old, secret, now, toleranceSec: 600 }).type, 'post.published');
    const moved = signatureHeaderValue(secret, body, now - 400).replace(`t=${now - 400}`, `t=${now}`);
    assert.equal(
      refusal(() => verifyWebhook({ payload: body, header: moved, secret, now })),
      'signature_mismatch',
    );
  });

  it('refuses a timestamp too far in the future', () => {
    const header = signatureHeaderValue(secret, body, now + 301);
    assert.equal(
      refusal(() => verifyWebhook({ payload: body, header, secret, now })),
      'timestamp_outside_tolerance',
    );
  });

  it('refuses a missing or malformed header', () => {
    assert.equal(
      refusal(() => verifyWebhook({ payload: body, header: undefined, secret, now })),
      'header_missing',
    );
    assert.equal(
      refusal(() => verifyWebhook({ payload: body, header: 'v1=abc', secret, now })),
      'header_malformed',
    );
    assert.equal(
      refusal(() => verifyWebhook({ payload: body, header: `t=${now}`, secret, now })),
      'header_malformed',
    );
    assert.equal(
      refusal(() => verifyWebhook({ payload: body, header: `t=${now},v1=zz`, secret, now })),
      'signature_mismatch',
    );
  });

  it('accepts when any of several v1 signatures matches (a secret being rotated)', () => {
    const header = `t=${now},v1=${signatureOf('whsec_old', now, body)},v1=${signatureOf(secret, now, body)}`;
    assert.equal(verifyWebhook({ payload: body, header, secret, now }).type, 'post.published');
  });
});
