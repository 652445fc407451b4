import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addFailure, addSlice, emptySummary, forEachWhile } from '../../src/analytics/refresh-plan';
import { resolveRange } from '../../src/analytics/service';
import { PinflowError } from '../../src/domain/errors';

describe('a refresh’s bookkeeping', () => {
  it('runs at most `concurrency` accounts at once and takes each account once', async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    const left = await forEachWhile(
      [1, 2, 3, 4, 5, 6, 7],
      3,
      () => true,
      async (n) => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5 * (n % 3)));
        seen.push(n);
        running -= 1;
      },
    );
    assert.equal(peak, 3);
    assert.deepEqual([...seen].sort(), [1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(left, []);
  });

  it('stops taking accounts when told to, and answers the ones never started, in order', async () => {
    let started = 0;
    const left = await forEachWhile(
      ['a', 'b', 'c', 'd', 'e'],
      2,
      () => started < 3,
      async () => {
        started += 1;
      },
    );
    assert.deepEqual(left, ['d', 'e']);
  });

  it('counts an account’s totals once, when it is done, and every slice’s retries', () => {
    let summary = emptySummary('r1');
    summary = addSlice(summary, { done: false, pins: 5, requests: 6, rowsChanged: 20, retries: 1 });
    summary = addSlice(summary, { done: true, pins: 9, requests: 11, rowsChanged: 36, retries: 2 });
    summary = addFailure(summary, 'soc_x', 'ACCOUNT_RECONNECT_REQUIRED');
    assert.deepEqual(summary, {
      refreshId: 'r1',
      runs: 1,
      accountsRefreshed: 1,
      accountsFailed: 1,
      pins: 9,
      requests: 11,
      rowsChanged: 36,
      retries: 3,
      failures: [{ accountId: 'soc_x', code: 'ACCOUNT_RECONNECT_REQUIRED' }],
    });
  });
});

describe('the range of days the analytics API answers for', () => {
  it('defaults to the 30 days ending today', () => {
    assert.deepEqual(resolveRange({}, '2025-06-15'), { from: '2025-05-17', to: '2025-06-15' });
    assert.deepEqual(resolveRange({ to: '2025-03-31' }, '2025-06-15'), { from: '2025-03-02', to: '2025-03-31' });
  });

  it('refuses `from` after `to`, and a range over 366 days, with VALIDATION_FAILED', () => {
    for (const query of [
      { from: '2025-06-02', to: '2025-06-01' },
      { from: '2024-01-01', to: '2025-06-01' },
    ]) {
      assert.throws(
        () => resolveRange(query),
        (err: unknown) => err instanceof PinflowError && err.code === 'VALIDATION_FAILED' && err.status === 400,
      );
    }
  });
});
