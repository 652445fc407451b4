import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { finalStatus, isEditable, msUntil, withTarget, type PostState } from '../../src/workflows/post-lifecycle';

describe('the post lifecycle', () => {
  it('counts down to the due time and never below zero', () => {
    const due = '2026-03-01T10:00:00.000Z';
    assert.equal(msUntil(due, Date.parse('2026-03-01T09:59:59.000Z')), 1000);
    assert.equal(msUntil(due, Date.parse('2026-03-01T10:00:00.000Z')), 0);
    assert.equal(msUntil(due, Date.parse('2026-03-01T10:00:05.000Z')), 0);
  });

  it('lets a post change only while it waits', () => {
    assert.equal(isEditable({ status: 'scheduled' }), true);
    for (const status of ['publishing', 'published', 'partially_published', 'failed', 'canceled'] as const) {
      assert.equal(isEditable({ status }), false, status);
    }
  });

  it('is published when every target is, partially published when some are, failed when none are', () => {
    assert.equal(finalStatus([{ status: 'published' }, { status: 'published' }]), 'published');
    assert.equal(finalStatus([{ status: 'published' }, { status: 'failed' }]), 'partially_published');
    assert.equal(finalStatus([{ status: 'published' }, { status: 'outcome_unknown' }]), 'partially_published');
    assert.equal(finalStatus([{ status: 'failed' }, { status: 'outcome_unknown' }]), 'failed');
  });

  it('changes one target and leaves the others as they were', () => {
    const state: PostState = {
      postId: 'post_1',
      status: 'publishing',
      scheduledAt: '2026-03-01T10:00:00.000Z',
      targets: [
        { targetId: 'tgt_a', status: 'publishing' },
        { targetId: 'tgt_b', status: 'publishing' },
      ],
    };
    const next = withTarget(state, 'tgt_b', { status: 'published', pinId: '42' });
    assert.deepEqual(next.targets, [
      { targetId: 'tgt_a', status: 'publishing' },
      { targetId: 'tgt_b', status: 'published', pinId: '42' },
    ]);
    assert.equal(state.targets[1]!.status, 'publishing', 'the old state is not mutated');
  });
});
