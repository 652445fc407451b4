import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createFaultSwitch } from '../../src/emulator/faults';
import { createRateLimiter } from '../../src/emulator/rate-limit';
import {
  accountAnalyticsReport,
  analyticsWindowProblem,
  dataStatus,
  metricValue,
  pinAnalyticsReport,
  syntheticCounts,
} from '../../src/emulator/synthetic-analytics';

describe('synthetic analytics', () => {
  it('are a pure function of the pin id and the date', () => {
    assert.deepEqual(syntheticCounts('1400000000000000001', '2026-01-10'), syntheticCounts('1400000000000000001', '2026-01-10'));
    assert.notDeepEqual(syntheticCounts('1400000000000000001', '2026-01-10'), syntheticCounts('1400000000000000001', '2026-01-11'));
    assert.notDeepEqual(syntheticCounts('1400000000000000001', '2026-01-10'), syntheticCounts('1400000000000000002', '2026-01-10'));
  });

  it('are plausible: clicks and saves never exceed impressions, rates are shares', () => {
    for (let day = 1; day <= 28; day++) {
      const counts = syntheticCounts('42', `2026-02-${String(day).padStart(2, '0')}`);
      assert.ok(counts.IMPRESSION >= 40 && counts.IMPRESSION < 1000);
      assert.ok(counts.PIN_CLICK <= counts.IMPRESSION && counts.OUTBOUND_CLICK <= counts.PIN_CLICK && counts.SAVE <= counts.IMPRESSION);
      assert.equal(metricValue(counts, 'SAVE_RATE'), Math.round((counts.SAVE / counts.IMPRESSION) * 1e6) / 1e6);
    }
  });

  it('are READY for days older than yesterday, PROCESSING for yesterday and today, BEFORE_PIN_CREATED before the pin', () => {
    const today = '2026-03-10';
    assert.equal(dataStatus('2026-03-08', today), 'READY');
    assert.equal(dataStatus('2026-03-09', today), 'PROCESSING');
    assert.equal(dataStatus('2026-03-10', today), 'PROCESSING');
    assert.equal(dataStatus('2026-03-01', today, '2026-03-02'), 'BEFORE_PIN_CREATED');
  });

  it('refuse a start date more than 90 days back, and a window longer than 90 days', () => {
    const today = '2026-06-30';
    assert.equal(analyticsWindowProblem('2026-04-01', '2026-04-30', today), undefined);
    assert.equal(analyticsWindowProblem('2026-04-01', '2026-06-30', today), undefined);
    assert.match(analyticsWindowProblem('2026-03-01', '2026-03-31', today) ?? '', /90 days/);
    assert.match(analyticsWindowProblem('2026-06-30', '2026-06-01', today) ?? '', /before/);
  });

  it('sum the days into the summary, stop at today, and keep days before the pin at zero', () => {
    const report = pinAnalyticsReport({
      subjectId: '7',
      createdDate: '2026-03-05',
      startDate: '2026-03-03',
      endDate: '2026-03-20',
      today: '2026-03-08',
      metrics: ['IMPRESSION', 'SAVE_RATE'],
    });
    const all = report.all;
    assert.ok(all?.daily_metrics);
    assert.deepEqual(
      all.daily_metrics.map((d) => d.date),
      ['2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08'],
    );
    assert.deepEqual(all.daily_metrics[0]?.metrics, { IMPRESSION: 0, SAVE_RATE: 0 });
    const impressions = ['2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08'].reduce(
      (sum, d) => sum + syntheticCounts('7', d).IMPRESSION,
      0,
    );
    assert.equal(all.summary_metrics?.IMPRESSION, impressions);
    assert.equal(all.lifetime_metrics?.IMPRESSION, impressions);
    assert.equal(all.lifetime_metrics?.SAVE_RATE, undefined, 'lifetime metrics are counts');
  });

  it('give account analytics for the whole window from the user id', () => {
    const report = accountAnalyticsReport({
      subjectId: '11',
      startDate: '2026-03-01',
      endDate: '2026-03-03',
      today: '2026-03-20',
      metrics: ['IMPRESSION', 'ENGAGEMENT'],
    });
    assert.equal(report.all?.daily_metrics?.length, 3);
    assert.ok(report.all?.daily_metrics?.every((d) => d.data_status === 'READY'));
  });
});

describe('the emulator rate limiter', () => {
  it('lets exactly the limit through in a window, then tells how long until it resets', () => {
    let now = 1_000_000;
    const limiter = createRateLimiter({ org_write: { limit: 3, windowMs: 60_000 } }, () => now);
    const decisions = Array.from({ length: 5 }, () => limiter.take('app:user', 'org_write'));
    assert.deepEqual(
      decisions.map((d) => d.allowed),
      [true, true, true, false, false],
    );
    assert.deepEqual(
      decisions.map((d) => d.remaining),
      [2, 1, 0, 0, 0],
    );
    now += 45_000;
    assert.equal(limiter.take('app:user', 'org_write').resetSeconds, 15);
    now += 15_000;
    assert.equal(limiter.take('app:user', 'org_write').allowed, true, 'a new window opens');
  });

  it('counts categories and users apart', () => {
    const limiter = createRateLimiter({ org_write: { limit: 1, windowMs: 60_000 } }, () => 0);
    assert.equal(limiter.take('app:a', 'org_write').allowed, true);
    assert.equal(limiter.take('app:b', 'org_write').allowed, true);
    assert.equal(limiter.take('app:a', 'org_read').allowed, true);
    assert.equal(limiter.take('app:a', 'org_write').allowed, false);
  });
});

describe('the emulator fault switch', () => {
  it('fails a share of requests by counting, not by chance', () => {
    const faults = createFaultSwitch();
    faults.set({ serverErrorRate: 0.25, serverErrorStatus: 502 });
    const answers = Array.from({ length: 8 }, () => faults.serverErrorFor('GET /v5/boards'));
    assert.deepEqual(answers, [undefined, undefined, undefined, 502, undefined, undefined, undefined, 502]);
  });

  it('limits faults to the routes named, and keeps what a later change does not name', () => {
    const faults = createFaultSwitch();
    faults.set({ latencyMs: 500, routes: ['POST /v5/pins'] });
    faults.set({ spamBlock: true });
    assert.equal(faults.latencyFor('POST /v5/pins'), 500);
    assert.equal(faults.latencyFor('GET /v5/boards'), 0);
    assert.equal(faults.current().spamBlock, true);
  });

  it('drops after commit as many times as armed', () => {
    const faults = createFaultSwitch();
    faults.set({ dropAfterCommit: 2 });
    assert.deepEqual([faults.takeDropAfterCommit(), faults.takeDropAfterCommit(), faults.takeDropAfterCommit()], [true, true, false]);
  });

  it('refuses a fault it does not know', () => {
    assert.throws(() => createFaultSwitch().set({ lantency: 5 } as never));
  });
});
