// What the analytics integration tests build on: Pinterest users with pins created in the emulator at a
// chosen time (the emulator's clock is moved for that), connected through the API, their pins recorded
// as published targets with SQL, refreshes run on the dev server, and the emulator's analytics traffic.
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { demo } from '../../src/emulator';
import { newId } from '../../src/domain/ids';
import type { RefreshOptions, RefreshSummary } from '../../src/analytics/refresh-plan';
import type { refreshAnalytics } from '../../src/workflows/refresh-analytics';
import { connectDemoAccount } from '../support/accounts';
import type { TestSystem } from '../support/system';

export const DAY_MS = 86_400_000;

/** The emulator's clock: real time plus an offset a test moves. */
export function emulatorClock(): { now: () => number; offsetMs: number } {
  const clock = { offsetMs: 0, now: () => Date.now() + clock.offsetMs };
  return clock;
}

export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
export const today = (): string => utcDay(Date.now());
export const daysAgo = (n: number): string => utcDay(Date.now() - n * DAY_MS);

/**
 * A day's counts as the emulator documents them (src/emulator/synthetic-analytics.ts), written again
 * here from that description, so the test checks what was stored against the formula, not against
 * the emulator's own code.
 */
export function expectedCounts(
  pinId: string,
  date: string,
): { IMPRESSION: number; PIN_CLICK: number; OUTBOUND_CLICK: number; SAVE: number } {
  const digest = createHash('sha256').update(`${pinId}:${date}`).digest();
  const w = (i: number): number => digest.readUInt32BE(i * 4);
  const impressions = 40 + (w(0) % 960);
  const pinClicks = w(1) % (Math.floor(impressions / 8) + 1);
  return {
    IMPRESSION: impressions,
    PIN_CLICK: pinClicks,
    OUTBOUND_CLICK: w(2) % (Math.floor(pinClicks / 2) + 1),
    SAVE: w(3) % (Math.floor(impressions / 15) + 1),
  };
}

export interface TestAccount {
  accountId: string;
  userId: string;
  boardId: string;
}

/** The demo user, connected through the API. */
export async function connectDemo(ts: TestSystem): Promise<TestAccount> {
  const { accountId } = await connectDemoAccount(ts);
  return { accountId, userId: demo.userId, boardId: demo.boards.recipes };
}

/** A further Pinterest user with one board, seeded in the emulator and connected through the API. */
export async function connectNewUser(ts: TestSystem, n: number): Promise<TestAccount> {
  const userId = String(1_100_000_000_000_100_000n + BigInt(n));
  const boardId = String(1_200_000_000_000_100_000n + BigInt(n));
  ts.emulator.state.seed({
    users: [{ id: userId, username: `analytics_user_${n}`, monthlyViews: 1000 + n }],
    boards: [{ id: boardId, ownerId: userId, name: `Board ${n}` }],
  });
  const { accountId } = await connectDemoAccount(ts, { userId });
  return { accountId, userId, boardId };
}

/** A pin created in the emulator `ageDays` ago (its clock moved back for the creation), published by a target in pinflow. */
export async function publishedPin(
  ts: TestSystem,
  clock: { offsetMs: number },
  account: TestAccount,
  ageDays: number,
): Promise<{ pinId: string; postId: string; targetId: string; publishedAt: Date }> {
  const saved = clock.offsetMs;
  clock.offsetMs = saved - ageDays * DAY_MS;
  const pin = ts.emulator.state.store.addPin({
    ownerId: account.userId,
    boardId: account.boardId,
    sectionId: null,
    images: [],
    carousel: false,
    request: { board_id: account.boardId, media_source: { source_type: 'image_url', url: 'https://example.com/pin.jpg' } },
    requestId: 'analytics-test',
  });
  clock.offsetMs = saved;
  const publishedAt = new Date(pin.createdAtMs);
  const ids = await insertPublishedTarget(ts.system.db, {
    workspaceId: ts.workspace.id,
    accountId: account.accountId,
    boardId: account.boardId,
    pinId: pin.id,
    publishedAt,
  });
  return { pinId: pin.id, publishedAt, ...ids };
}

export async function insertPublishedTarget(
  db: Pool,
  t: { workspaceId: string; accountId: string; boardId: string; pinId: string; publishedAt: Date },
): Promise<{ postId: string; targetId: string }> {
  const postId = newId('post');
  const targetId = newId('target');
  await db.query(
    `INSERT INTO posts (id, workspace_id, description, scheduled_at, status, finished_at) VALUES ($1, $2, 'analytics test pin', $3, 'published', $3)`,
    [postId, t.workspaceId, t.publishedAt],
  );
  await db.query(
    `INSERT INTO post_targets (id, post_id, position, account_id, board_id, status, pin_id, pin_url, published_at)
     VALUES ($1, $2, 0, $3, $4, 'published', $5, $6, $7)`,
    [targetId, postId, t.accountId, t.boardId, t.pinId, `https://www.pinterest.com/pin/${t.pinId}/`, t.publishedAt],
  );
  return { postId, targetId };
}

let runs = 0;

/** Runs one refresh on the test system's worker and answers its summary. */
export async function runRefresh(
  ts: TestSystem,
  input: { refreshId?: string; options?: Partial<RefreshOptions> } = {},
): Promise<RefreshSummary> {
  const workflowId = input.refreshId ?? `analytics-refresh-test-${process.pid}-${++runs}-${Date.now()}`;
  return ts.system.temporal.client.workflow.execute<typeof refreshAnalytics>('refreshAnalytics', {
    taskQueue: ts.config.TEMPORAL_TASK_QUEUE,
    workflowId,
    args: [{ refreshId: input.refreshId, options: input.options }],
  });
}

export interface AnalyticsRequest {
  pinId: string;
  status: number;
  startDate: string;
  endDate: string;
}

/** Every GET /v5/pins/{pin_id}/analytics the emulator answered, in order (needs `recordTraffic`). */
export function analyticsRequests(ts: TestSystem): AnalyticsRequest[] {
  return ts.emulator.state
    .traffic()
    .filter((t) => t.route === '/v5/pins/:pin_id/analytics')
    .map((t) => {
      const url = new URL(t.url, 'http://emulator');
      return {
        pinId: url.pathname.split('/')[3]!,
        status: t.status,
        startDate: url.searchParams.get('start_date') ?? '',
        endDate: url.searchParams.get('end_date') ?? '',
      };
    });
}

export interface StoredRow {
  pin_id: string;
  date: string;
  metric: string;
  value: number;
  data_status: string;
  fetched_at: Date;
}

export async function storedRows(db: Pool, pinId: string): Promise<StoredRow[]> {
  const { rows } = await db.query<StoredRow>(
    'SELECT pin_id, date::text AS date, metric, value, data_status, fetched_at FROM pin_analytics_daily WHERE pin_id = $1 ORDER BY date, metric',
    [pinId],
  );
  return rows;
}

/** A stored day's four counts and its status. */
export function storedDay(rows: readonly StoredRow[], date: string): { status: string | undefined; counts: Record<string, number> } {
  const day = rows.filter((r) => r.date === date);
  return { status: day[0]?.data_status, counts: Object.fromEntries(day.map((r) => [r.metric, r.value])) };
}

export function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}
