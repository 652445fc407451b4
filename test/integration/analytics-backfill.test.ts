// Backfill: a pin older than Pinterest's 90 days gets the 90 days Pinterest still has on the first
// refresh, and a refresh that did not run for weeks picks up where the last one stopped.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestSystem, type TestSystem } from '../support/system';
import {
  analyticsRequests,
  connectDemo,
  daysAgo,
  emulatorClock,
  expectedCounts,
  publishedPin,
  runRefresh,
  storedDay,
  storedRows,
  today,
  type TestAccount,
} from './analytics-world';

describe('analytics backfill', () => {
  const clock = emulatorClock();
  let ts: TestSystem;
  let account: TestAccount;

  before(async () => {
    ts = await startTestSystem({ worker: true, emulator: { now: clock.now, recordTraffic: true } });
    account = await connectDemo(ts);
  });
  after(async () => {
    await ts?.stop();
  });

  it('gives a pin published 100 days ago the last 90 days on its first refresh', async () => {
    const pin = await publishedPin(ts, clock, account, 100);
    const summary = await runRefresh(ts);
    assert.equal(summary.accountsRefreshed, 1);
    assert.deepEqual(analyticsRequests(ts), [{ pinId: pin.pinId, status: 200, startDate: daysAgo(89), endDate: today() }]);

    const rows = await storedRows(ts.system.db, pin.pinId);
    const days = [...new Set(rows.map((r) => r.date))];
    assert.equal(days.length, 90);
    assert.equal(days[0], daysAgo(89));
    assert.equal(days.at(-1), today());
    assert.deepEqual(storedDay(rows, daysAgo(89)).counts, expectedCounts(pin.pinId, daysAgo(89)));
    assert.deepEqual(storedDay(rows, daysAgo(45)).counts, expectedCounts(pin.pinId, daysAgo(45)));
  });

  it('after weeks without a refresh, fetches every day since the last one stored', async () => {
    const pin = await publishedPin(ts, clock, account, 60);
    // A refresh 30 days ago stored days up to then: pretend so by dropping every later day.
    await runRefresh(ts);
    await ts.system.db.query(`DELETE FROM pin_analytics_daily WHERE pin_id = $1 AND date > $2::date`, [pin.pinId, daysAgo(30)]);
    const before = analyticsRequests(ts).length;
    await runRefresh(ts);
    const request = analyticsRequests(ts)
      .slice(before)
      .find((r) => r.pinId === pin.pinId);
    assert.deepEqual(request, { pinId: pin.pinId, status: 200, startDate: daysAgo(29), endDate: today() });
    const rows = await storedRows(ts.system.db, pin.pinId);
    assert.equal(new Set(rows.map((r) => r.date)).size, 61, 'every day from publication to today, no gap');
  });
});
