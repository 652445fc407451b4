import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { enqueue, finish, head, lanesOf, queuedRefs } from '../../src/webhooks/lanes';

const ref = (deliveryId: string, webhookId = 'whk_1') => ({ deliveryId, webhookId });

describe('the delivery lanes of one ordering key', () => {
  it('keeps each webhook’s deliveries in the order they were enqueued', () => {
    const lanes = lanesOf([ref('d1'), ref('d2', 'whk_2'), ref('d3')]);
    assert.equal(head(lanes, 'whk_1'), 'd1');
    finish(lanes, 'whk_1', 'd1');
    assert.equal(head(lanes, 'whk_1'), 'd3');
    assert.equal(head(lanes, 'whk_2'), 'd2');
  });

  it('ignores a delivery signalled again while it is still queued (a retried emit)', () => {
    const lanes = lanesOf([ref('d1'), ref('d2')]);
    enqueue(lanes, [ref('d1'), ref('d2'), ref('d3')]);
    assert.deepEqual(queuedRefs(lanes), [ref('d1'), ref('d2'), ref('d3')]);
  });

  it('drops a lane once its last delivery is done, and only the head can finish', () => {
    const lanes = lanesOf([ref('d1'), ref('d2')]);
    finish(lanes, 'whk_1', 'd2');
    assert.equal(head(lanes, 'whk_1'), 'd1');
    finish(lanes, 'whk_1', 'd1');
    finish(lanes, 'whk_1', 'd2');
    assert.equal(lanes.size, 0);
  });

  it('carries everything queued into the next run, lane by lane, in order', () => {
    const refs = [ref('d1'), ref('d3'), ref('d2', 'whk_2')];
    assert.deepEqual(queuedRefs(lanesOf(refs)), refs);
  });
});
