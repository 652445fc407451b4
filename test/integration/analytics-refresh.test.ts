// An analytics refresh against the emulator, on the dev server, into PostgreSQL, read back through the
// API: the emulator's numbers stored exactly, days not final stored as such and fetched again, a
// repeated refresh that changes nothing, the guide's rates, and workspaces kept apart.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AccountAnalyticsReport, PostAnalyticsReport } from '../../src/analytics/schemas';
import { startTestSystem, type TestSystem } from '../support/system';
import {
  analyticsRequests,
  connectDemo,
  DAY_MS,
  daysAgo,
  emulatorClock,
  expectedCounts,
  publishedPin,
  runRefresh,
  storedDay,
  storedRows,
  today,
  type StoredRow,
  type TestAccount,
} from './analytics-world';

describe('an analytics refresh against the Pinterest emulator', () => {
  const clock = emulatorClock();
  let ts: TestSystem;
  let account: TestAccount;
  let pin: Awaited<ReturnType<typeof publishedPin>>;
  let afterFirst: StoredRow[];

  before(async () => {
    ts = await startTestSystem({ worker: true, emulator: { now: clock.now, recordTraffic: true } });
    account = await connectDemo(ts);
    pin = await publishedPin(ts, clock, account, 10);
  });
  after(async () => {
    await ts?.stop();
  });

  it("stores the emulator's numbers for every day since the pin was published, one row per day and metric", async () => {
    const summary = await runRefresh(ts);
    assert.equal(summary.accountsRefreshed, 1);
    assert.equal(summary.accountsFailed, 0);
    assert.equal(summary.pins, 1);
    assert.equal(summary.requests, 1);

    const requests = analyticsRequests(ts);
    assert.deepEqual(requests, [{ pinId: pin.pinId, status: 200, startDate: daysAgo(10), endDate: today() }]);

    afterFirst = await storedRows(ts.system.db, pin.pinId);
    assert.equal(afterFirst.length, 11 * 4, '11 days (published day to today) × impressions, pin clicks, saves, outbound clicks');
    assert.equal(summary.rowsChanged, 44);
    for (const date of [daysAgo(10), daysAgo(7), daysAgo(2), daysAgo(1), today()]) {
      assert.deepEqual(storedDay(afterFirst, date).counts, expectedCounts(pin.pinId, date), `counts of ${date}`);
    }
  });

  it('stores the days Pinterest has not finished (PROCESSING) as such, and the older ones as READY', () => {
    assert.equal(storedDay(afterFirst, today()).status, 'PROCESSING');
    assert.equal(storedDay(afterFirst, daysAgo(1)).status, 'PROCESSING');
    for (let n = 2; n <= 10; n++) assert.equal(storedDay(afterFirst, daysAgo(n)).status, 'READY', `${daysAgo(n)}`);
  });

  it('fetches again from the first day not final, and a repeated refresh changes no row', async () => {
    const before = analyticsRequests(ts).length;
    const summary = await runRefresh(ts);
    const requests = analyticsRequests(ts).slice(before);
    assert.deepEqual(requests, [{ pinId: pin.pinId, status: 200, startDate: daysAgo(1), endDate: today() }]);
    assert.equal(summary.rowsChanged, 0);
    assert.deepEqual(await storedRows(ts.system.db, pin.pinId), afterFirst, 'every row as it was, fetched_at included');
  });

  it('turns the PROCESSING days READY once Pinterest finalises them, and then asks for nothing more', async () => {
    clock.offsetMs = 2 * DAY_MS; // two days on at Pinterest: yesterday and today are final there
    try {
      const before = analyticsRequests(ts).length;
      const summary = await runRefresh(ts);
      assert.deepEqual(analyticsRequests(ts).slice(before), [{ pinId: pin.pinId, status: 200, startDate: daysAgo(1), endDate: today() }]);
      assert.equal(summary.rowsChanged, 8, 'two days × four metrics: their status, not their numbers');
      const rows = await storedRows(ts.system.db, pin.pinId);
      for (const date of [daysAgo(1), today()]) {
        assert.equal(storedDay(rows, date).status, 'READY');
        assert.deepEqual(storedDay(rows, date).counts, expectedCounts(pin.pinId, date));
      }

      const again = await runRefresh(ts);
      assert.equal(analyticsRequests(ts).length, before + 1, 'every stored day is final: no request');
      assert.equal(again.pins, 1);
      assert.equal(again.rowsChanged, 0);
    } finally {
      clock.offsetMs = 0;
    }
  });

  it("answers a post's totals over a range with the guide's rates computed from them", async () => {
    const from = daysAgo(9);
    const to = daysAgo(3);
    const res = await ts.call<PostAnalyticsReport>('GET', `/v1/analytics/posts/${pin.postId}?from=${from}&to=${to}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));

    const expected = { IMPRESSION: 0, PIN_CLICK: 0, OUTBOUND_CLICK: 0, SAVE: 0 };
    for (let n = 9; n >= 3; n--) {
      const day = expectedCounts(pin.pinId, daysAgo(n));
      for (const key of Object.keys(expected) as Array<keyof typeof expected>) expected[key] += day[key];
    }
    const engagement = expected.PIN_CLICK + expected.OUTBOUND_CLICK + expected.SAVE;
    const metrics = {
      impressions: expected.IMPRESSION,
      closeups: expected.PIN_CLICK,
      saves: expected.SAVE,
      saveRate: expected.SAVE / expected.IMPRESSION,
      engagement,
      engagementRate: engagement / expected.IMPRESSION,
      outboundClicks: expected.OUTBOUND_CLICK,
      outboundClickRate: expected.OUTBOUND_CLICK / expected.IMPRESSION,
    };
    assert.deepEqual(res.body.metrics, metrics);
    assert.equal(res.body.from, from);
    assert.equal(res.body.to, to);
    const [report] = res.body.pins;
    assert.ok(report);
    assert.equal(report.pinId, pin.pinId);
    assert.deepEqual(report.metrics, metrics);
    assert.equal(report.daily.length, 7);
    assert.equal(report.finalDays, 7);
    assert.equal(report.pendingDays, 0);
    const first = expectedCounts(pin.pinId, from);
    assert.deepEqual(report.daily[0], {
      date: from,
      dataStatus: 'READY',
      metrics: {
        impressions: first.IMPRESSION,
        closeups: first.PIN_CLICK,
        saves: first.SAVE,
        saveRate: first.SAVE / first.IMPRESSION,
        engagement: first.PIN_CLICK + first.OUTBOUND_CLICK + first.SAVE,
        engagementRate: (first.PIN_CLICK + first.OUTBOUND_CLICK + first.SAVE) / first.IMPRESSION,
        outboundClicks: first.OUTBOUND_CLICK,
        outboundClickRate: first.OUTBOUND_CLICK / first.IMPRESSION,
      },
    });
  });

  it("answers an account's monthly viewers (Pinterest's monthly_views) and its pins' totals", async () => {
    const res = await ts.call<AccountAnalyticsReport>(
      'GET',
      `/v1/analytics/accounts/${account.accountId}?from=${daysAgo(10)}&to=${today()}`,
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.monthlyViewers?.value, 48_210, 'the demo user’s monthly_views');
    assert.equal(res.body.monthlyViewersHistory.length, 4, 'one snapshot per refresh');
    assert.equal(res.body.pins, 1);
    assert.equal(res.body.finalDays, 11);
    let impressions = 0;
    for (let n = 10; n >= 0; n--) impressions += expectedCounts(pin.pinId, daysAgo(n)).IMPRESSION;
    assert.equal(res.body.metrics.impressions, impressions);
  });

  it('answers 404 for a post or an account of another workspace, and 400 for a backwards range', async () => {
    const other = await ts.newWorkspace('other');
    const post = await ts.call<{ errors: Array<{ code: string }> }>('GET', `/v1/analytics/posts/${pin.postId}`, undefined, {
      key: other.apiKey,
    });
    assert.equal(post.status, 404);
    assert.equal(post.body.errors[0]?.code, 'POST_NOT_FOUND');
    const acc = await ts.call<{ errors: Array<{ code: string }> }>('GET', `/v1/analytics/accounts/${account.accountId}`, undefined, {
      key: other.apiKey,
    });
    assert.equal(acc.status, 404);
    assert.equal(acc.body.errors[0]?.code, 'ACCOUNT_NOT_FOUND');
    const backwards = await ts.call<{ errors: Array<{ code: string }> }>(
      'GET',
      `/v1/analytics/posts/${pin.postId}?from=${today()}&to=${daysAgo(1)}`,
    );
    assert.equal(backwards.status, 400);
    assert.equal(backwards.body.errors[0]?.code, 'VALIDATION_FAILED');
  });
});

describe('the analytics routes in the OpenAPI document', () => {
  let ts: TestSystem;
  before(async () => {
    ts = await startTestSystem();
  });
  after(async () => {
    await ts?.stop();
  });

  it('documents both routes with their range query and the guide’s metrics in the answer', async () => {
    const res = await fetch(`${ts.apiUrl}/openapi.json`);
    const doc = (await res.json()) as OpenApi;
    for (const route of ['/v1/analytics/posts/{postId}', '/v1/analytics/accounts/{accountId}']) {
      const get = doc.paths[route]?.get;
      assert.ok(get, `${route} is documented`);
      assert.deepEqual(get.parameters?.map((p) => p.name).sort(), [route.includes('posts') ? 'postId' : 'accountId', 'from', 'to'].sort());
      const answer = JSON.stringify(resolveRefs(doc, get.responses['200']));
      for (const field of [
        'impressions',
        'closeups',
        'saves',
        'saveRate',
        'engagement',
        'engagementRate',
        'outboundClicks',
        'outboundClickRate',
      ]) {
        assert.ok(answer.includes(`"${field}"`), `${route} answers ${field}`);
      }
    }
  });
});

interface OpenApi {
  paths: Record<string, { get?: { parameters?: Array<{ name: string }>; responses: Record<string, unknown> } }>;
  components?: { schemas?: Record<string, unknown> };
}

/** The node with every `#/components/schemas/…` reference replaced by its schema. */
function resolveRefs(doc: OpenApi, node: unknown, depth = 0): unknown {
  if (depth > 20 || typeof node !== 'object' || node === null) return node;
  if (Array.isArray(node)) return node.map((n) => resolveRefs(doc, n, depth + 1));
  const ref = (node as { $ref?: unknown }).$ref;
  if (typeof ref === 'string') return resolveRefs(doc, doc.components?.schemas?.[ref.split('/').pop()!], depth + 1);
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolveRefs(doc, v, depth + 1)]));
}
