// Pacing under Pinterest's org_analytics limit, with the emulator's limit set low (3 requests per
// second per user). Paced under it, a refresh meets no 429; paced far above it (a wrong setting, or
// another client using the quota), every 429 is waited out for the delay Pinterest asked and retried,
// and the refresh still ends with every pin stored once. Counts, not timings, are asserted.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestSystem, type TestSystem } from '../support/system';
import { analyticsRequests, connectNewUser, countBy, emulatorClock, publishedPin, runRefresh } from './analytics-world';

const ACCOUNTS = 3;
const PINS_PER_ACCOUNT = 6;
const EMULATOR_LIMIT = { limit: 3, windowMs: 1_000 };

async function world(perMinute: number): Promise<{ ts: TestSystem; pins: string[] }> {
  const clock = emulatorClock();
  const ts = await startTestSystem({
    worker: true,
    emulator: { now: clock.now, recordTraffic: true },
    env: { ANALYTICS_ORG_ANALYTICS_PER_MINUTE: String(perMinute), ANALYTICS_SCHEDULE_ID: `analytics-refresh-pacing-${process.pid}` },
  });
  const pins: string[] = [];
  for (let n = 1; n <= ACCOUNTS; n++) {
    const account = await connectNewUser(ts, n);
    for (let p = 0; p < PINS_PER_ACCOUNT; p++) pins.push((await publishedPin(ts, clock, account, 3 + p)).pinId);
  }
  ts.emulator.state.setRateLimits({ org_analytics: EMULATOR_LIMIT });
  return { ts, pins };
}

describe('a refresh paced under the org_analytics limit', () => {
  let ts: TestSystem;
  let pins: string[];
  before(async () => {
    // 120/min is 2 per second, under the emulator's 3.
    ({ ts, pins } = await world(120));
  });
  after(async () => {
    await ts?.stop();
  });

  it('meets no 429 and fetches every pin once', async () => {
    const summary = await runRefresh(ts, { options: { accountConcurrency: ACCOUNTS } });
    const requests = analyticsRequests(ts);
    assert.equal(requests.filter((r) => r.status === 429).length, 0);
    assert.deepEqual([...countBy(requests, (r) => r.pinId).entries()].sort(), pins.map((p) => [p, 1]).sort());
    assert.equal(summary.accountsRefreshed, ACCOUNTS);
    assert.equal(summary.retries, 0);
    assert.equal(summary.requests, ACCOUNTS * PINS_PER_ACCOUNT);
  });
});

describe('a refresh paced far above the org_analytics limit', () => {
  let ts: TestSystem;
  let pins: string[];
  before(async () => {
    ({ ts, pins } = await world(6_000));
  });
  after(async () => {
    await ts?.stop();
  });

  it('retries every 429 it is answered after Pinterest’s delay, leaving none unhandled, and stores every pin once', async () => {
    const summary = await runRefresh(ts, { options: { accountConcurrency: ACCOUNTS } });
    const requests = analyticsRequests(ts);
    const limited = requests.filter((r) => r.status === 429);
    console.log(`${requests.length} analytics requests: ${limited.length} answered 429, ${summary.retries} retried`);

    assert.ok(limited.length > 0, 'the emulator did answer 429s');
    assert.equal(summary.retries, limited.length, 'each 429 answered was followed by exactly one retry');
    for (const [i, r] of requests.entries()) {
      if (r.status !== 429) continue;
      assert.ok(
        requests.slice(i + 1).some((later) => later.pinId === r.pinId && later.status === 200),
        `pin ${r.pinId} was fetched after its 429`,
      );
    }
    assert.equal(summary.accountsRefreshed, ACCOUNTS);
    assert.equal(summary.accountsFailed, 0);
    assert.equal(summary.requests, requests.length, 'the summary counts the 429s it was answered');
    const ok = countBy(
      requests.filter((r) => r.status === 200),
      (r) => r.pinId,
    );
    assert.deepEqual([...ok.entries()].sort(), pins.map((p) => [p, 1]).sort(), 'every pin stored from exactly one 200');
    assert.equal(requests.filter((r) => r.status !== 200 && r.status !== 429).length, 0);
  });
});
