import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffMs, classifyStatus, deliveryRetry, nextDelayMs, parseRetryAfter } from '../../src/webhooks/retry';

describe('webhook delivery retries', () => {
  it('backs off exponentially from one second, capped at an hour', () => {
    assert.deepEqual([1, 2, 3, 4].map(backoffMs), [1000, 2000, 4000, 8000]);
    assert.equal(backoffMs(30), deliveryRetry.maximumIntervalMs);
  });

  it('keeps retrying for a day', () => {
    assert.equal(deliveryRetry.deadlineMs, 24 * 3600 * 1000);
  });

  it('waits as long as Retry-After asks when that is longer than the backoff, but never past the cap', () => {
    assert.equal(nextDelayMs(1, 30_000), 30_000);
    assert.equal(nextDelayMs(3, 1_000), 4_000);
    assert.equal(nextDelayMs(1, 10 * 3600 * 1000), deliveryRetry.maximumIntervalMs);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-03-01T10:00:00Z');
    assert.equal(parseRetryAfter('120', now), 120_000);
    assert.equal(parseRetryAfter('Sun, 01 Mar 2026 10:01:00 GMT', now), 60_000);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });

  it('treats 2xx as delivered, 5xx, 408 and 429 as worth retrying, and other 3xx and 4xx as final', () => {
    assert.equal(classifyStatus(200), 'delivered');
    assert.equal(classifyStatus(204), 'delivered');
    for (const status of [500, 502, 503, 504, 408, 429]) assert.equal(classifyStatus(status), 'retry', String(status));
    for (const status of [301, 302, 400, 401, 403, 404, 410, 422]) assert.equal(classifyStatus(status), 'rejected', String(status));
  });
});
