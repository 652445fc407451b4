import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventId, eventInputSchema, eventTypes, webhookEventSchema } from '../../src/webhooks/events';

describe('webhook events', () => {
  it('gives the same logical event the same id every time it is emitted', () => {
    const first = eventId('ws_a', 'post_1', 'post.published', 0);
    assert.equal(eventId('ws_a', 'post_1', 'post.published', 0), first);
    assert.match(first, /^evt_[0-9a-z]{20}$/);
  });

  it('gives another id to another type, subject, occurrence or workspace', () => {
    const ids = new Set([
      eventId('ws_a', 'post_1', 'post.published', 0),
      eventId('ws_a', 'post_1', 'post.failed', 0),
      eventId('ws_a', 'post_2', 'post.published', 0),
      eventId('ws_a', 'post_1', 'post.published', 1),
      eventId('ws_b', 'post_1', 'post.published', 0),
    ]);
    assert.equal(ids.size, 5);
  });

  it('knows the nine event types of the product', () => {
    assert.deepEqual([...eventTypes].sort(), [
      'account.reconnect_required',
      'analytics.refreshed',
      'post.at_risk',
      'post.canceled',
      'post.failed',
      'post.outcome_unknown',
      'post.partially_published',
      'post.published',
      'post.scheduled',
    ]);
  });

  it('refuses an unknown type and keeps only the documented data fields', () => {
    assert.equal(eventInputSchema.safeParse({ type: 'post.exploded', data: {}, sequence: 0 }).success, false);
    const parsed = eventInputSchema.parse({
      type: 'post.failed',
      data: { postId: 'post_1', errorCode: 'PIN_BOARD_NOT_FOUND', token: 'secret' },
      sequence: 0,
    });
    assert.deepEqual(parsed.data, { postId: 'post_1', errorCode: 'PIN_BOARD_NOT_FOUND' });
  });

  it('describes the payload: an evt_ id, a type, a time with an offset, and data', () => {
    const ok = { id: 'evt_0123456789abcdefghij', type: 'post.published', createdAt: '2026-03-01T10:00:00.000Z', data: { pinId: '1' } };
    assert.equal(webhookEventSchema.safeParse(ok).success, true);
    assert.equal(webhookEventSchema.safeParse({ ...ok, id: 'dlv_1' }).success, false);
    assert.equal(webhookEventSchema.safeParse({ ...ok, createdAt: '2026-03-01T10:00:00' }).success, false);
  });
});
