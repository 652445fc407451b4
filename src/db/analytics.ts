// Queries for analytics: the refresh's bookkeeping (refreshes, accounts done, pins fetched, pacing),
// the stored daily pin metrics and account snapshots, and the reads behind /v1/analytics.
import type { PinDayMetric } from '../analytics/daily';
import type { Db } from './pool';

// ---------------------------------------------------------------------------------------------------
// A refresh and its accounts

export type RefreshAccountStatus = 'running' | 'refreshed' | 'failed';

export interface RefreshProgress {
  pins: number;
  requests: number;
  rowsChanged: number;
}

export async function beginRefresh(db: Db, refreshId: string): Promise<void> {
  await db.query('INSERT INTO analytics_refreshes (id) VALUES ($1) ON CONFLICT (id) DO NOTHING', [refreshId]);
}

export async function finishRefresh(db: Db, refreshId: string): Promise<void> {
  await db.query('UPDATE analytics_refreshes SET finished_at = now() WHERE id = $1 AND finished_at IS NULL', [refreshId]);
}

/** Active accounts this refresh has not finished (refreshed or failed), in a stable order. */
export async function accountsToRefresh(db: Db, refreshId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT a.id FROM social_accounts a
     WHERE a.status = 'active'
       AND NOT EXISTS (SELECT 1 FROM analytics_refresh_accounts r
                       WHERE r.refresh_id = $1 AND r.account_id = a.id AND r.status <> 'running')
     ORDER BY a.id`,
    [refreshId],
  );
  return rows.map((r) => r.id);
}

export interface RefreshAccountRecord extends RefreshProgress {
  status: RefreshAccountStatus;
}

const recordColumns = 'status, pins, requests, rows_changed AS "rowsChanged"';

export async function refreshAccountRecord(db: Db, refreshId: string, accountId: string): Promise<RefreshAccountRecord | undefined> {
  const { rows } = await db.query<RefreshAccountRecord>(
    `SELECT ${recordColumns} FROM analytics_refresh_accounts WHERE refresh_id = $1 AND account_id = $2`,
    [refreshId, accountId],
  );
  return rows[0];
}

/**
 * Adds an attempt's work to the account's record; `status` 'refreshed' when it finished the account.
 * Answers the account's totals in this refresh so far.
 */
export async function recordAccountProgress(
  db: Db,
  refreshId: string,
  accountId: string,
  progress: RefreshProgress,
  status: 'running' | 'refreshed',
): Promise<RefreshAccountRecord> {
  const { rows } = await db.query<RefreshAccountRecord>(
    `INSERT INTO analytics_refresh_accounts AS r (refresh_id, account_id, status, pins, requests, rows_changed)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (refresh_id, account_id) DO UPDATE SET
       -- A zombie attempt (its worker presumed dead) must not reopen an account another attempt finished.
       status = CASE WHEN r.status = 'running' THEN EXCLUDED.status ELSE r.status END, pins = r.pins + EXCLUDED.pins, requests = r.requests + EXCLUDED.requests,
       rows_changed = r.rows_changed + EXCLUDED.rows_changed, updated_at = now()
     RETURNING ${recordColumns}`,
    [refreshId, accountId, status, progress.pins, progress.requests, progress.rowsChanged],
  );
  return rows[0]!;
}

export async function recordAccountFailure(db: Db, refreshId: string, accountId: string, code: string, message: string): Promise<void> {
  await db.query(
    `INSERT INTO analytics_refresh_accounts AS r (refresh_id, account_id, status, error_code, error_message)
     VALUES ($1, $2, 'failed', $3, $4)
     ON CONFLICT (refresh_id, account_id) DO UPDATE SET
       status = 'failed', error_code = EXCLUDED.error_code, error_message = EXCLUDED.error_message, updated_at = now()`,
    [refreshId, accountId, code, message],
  );
}

// ---------------------------------------------------------------------------------------------------
// Account snapshots

export async function hasSnapshot(db: Db, accountId: string, refreshId: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM account_analytics_snapshots WHERE account_id = $1 AND refresh_id = $2', [
    accountId,
    refreshId,
  ]);
  return (rowCount ?? 0) > 0;
}

export async function saveSnapshot(db: Db, accountId: string, refreshId: string, monthlyViews: number | null): Promise<void> {
  await db.query(
    `INSERT INTO account_analytics_snapshots (account_id, refresh_id, monthly_views) VALUES ($1, $2, $3)
     ON CONFLICT (account_id, refresh_id) DO NOTHING`,
    [accountId, refreshId, monthlyViews],
  );
  // The account as the accounts API shows it follows the newest snapshot.
  await db.query('UPDATE social_accounts SET monthly_views = $2 WHERE id = $1', [accountId, monthlyViews]);
}

export interface SnapshotRow {
  monthly_views: number | null;
  taken_at: Date;
}

/** Snapshots taken between the two instants, newest first. */
export async function snapshotsBetween(db: Db, accountId: string, from: Date, until: Date): Promise<SnapshotRow[]> {
  const { rows } = await db.query<SnapshotRow>(
    `SELECT monthly_views, taken_at FROM account_analytics_snapshots
     WHERE account_id = $1 AND taken_at >= $2 AND taken_at < $3 ORDER BY taken_at DESC`,
    [accountId, from, until],
  );
  return rows;
}

export async function latestSnapshot(db: Db, accountId: string): Promise<SnapshotRow | undefined> {
  const { rows } = await db.query<SnapshotRow>(
    'SELECT monthly_views, taken_at FROM account_analytics_snapshots WHERE account_id = $1 ORDER BY taken_at DESC LIMIT 1',
    [accountId],
  );
  return rows[0];
}

// ---------------------------------------------------------------------------------------------------
// Pins to fetch, and what was fetched

export interface PinToRefreshRow {
  pin_id: string;
  published_day: string;
  /** The first stored day that is not final, else the day after the last stored day; null when none is stored. */
  resume_from: string | null;
}

/**
 * The account's published pins this refresh has not fetched yet, oldest first. Pins Pinterest answered
 * "not found" for (deleted there) are not asked for again.
 */
export async function pinsToRefresh(db: Db, accountId: string, refreshId: string): Promise<PinToRefreshRow[]> {
  const { rows } = await db.query<PinToRefreshRow>(
    `WITH pins AS (
       SELECT t.pin_id, min(coalesce(t.published_at, t.updated_at)) AS published_at
       FROM post_targets t
       WHERE t.account_id = $1 AND t.status = 'published' AND t.pin_id IS NOT NULL
       GROUP BY t.pin_id
     )
     SELECT p.pin_id,
            to_char(p.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS published_day,
            (SELECT to_char(coalesce(min(d.date) FILTER (WHERE NOT d.final), max(d.date) + 1), 'YYYY-MM-DD')
             FROM pin_analytics_daily d WHERE d.account_id = $1 AND d.pin_id = p.pin_id) AS resume_from
     FROM pins p
     LEFT JOIN pin_analytics_fetches f ON f.account_id = $1 AND f.pin_id = p.pin_id
     WHERE f.pin_id IS NULL OR (f.refresh_id <> $2 AND f.error_code IS DISTINCT FROM 'PINTEREST_NOT_FOUND')
     ORDER BY p.published_at, p.pin_id`,
    [accountId, refreshId],
  );
  return rows;
}

/** Upserts a pin's days; answers how many rows were inserted or changed (0 when Pinterest said the same again). */
export async function upsertPinDays(db: Db, accountId: string, pinId: string, days: readonly PinDayMetric[]): Promise<number> {
  if (days.length === 0) return 0;
  const { rowCount } = await db.query(
    `INSERT INTO pin_analytics_daily AS d (account_id, pin_id, date, metric, value, data_status, final)
     SELECT $1, $2, r.date::date, r.metric, r.value, r.data_status, r.final
     FROM unnest($3::text[], $4::text[], $5::float8[], $6::text[], $7::boolean[]) AS r(date, metric, value, data_status, final)
     ON CONFLICT (account_id, pin_id, date, metric) DO UPDATE SET
       value = EXCLUDED.value, data_status = EXCLUDED.data_status, final = EXCLUDED.final, fetched_at = now()
     WHERE (d.value, d.data_status) IS DISTINCT FROM (EXCLUDED.value, EXCLUDED.data_status)`,
    [
      accountId,
      pinId,
      days.map((d) => d.date),
      days.map((d) => d.metric),
      days.map((d) => d.value),
      days.map((d) => d.dataStatus),
      days.map((d) => d.final),
    ],
  );
  return rowCount ?? 0;
}

export async function markPinFetched(db: Db, accountId: string, pinId: string, refreshId: string, errorCode: string | null): Promise<void> {
  await db.query(
    `INSERT INTO pin_analytics_fetches (account_id, pin_id, refresh_id, error_code) VALUES ($1, $2, $3, $4)
     ON CONFLICT (account_id, pin_id) DO UPDATE SET refresh_id = EXCLUDED.refresh_id, error_code = EXCLUDED.error_code, fetched_at = now()`,
    [accountId, pinId, refreshId, errorCode],
  );
}

/**
 * Takes one org_analytics request from the account's budget: a token bucket holding at most one, filled
 * at `perMinute`. Answers how long to wait before sending (0 when a token was there). Any 60 s then
 * sees at most perMinute + 1 requests, whichever replica sends them.
 */
export async function reserveAnalyticsRequest(db: Db, accountId: string, perMinute: number): Promise<number> {
  const perSecond = perMinute / 60;
  const { rows } = await db.query<{ tokens: number }>(
    `INSERT INTO account_analytics_budget AS b (account_id, tokens, updated_at) VALUES ($1, 0, clock_timestamp())
     ON CONFLICT (account_id) DO UPDATE SET
       tokens = least(1, b.tokens + extract(epoch FROM clock_timestamp() - b.updated_at) * $2::float8) - 1,
       updated_at = clock_timestamp()
     RETURNING tokens`,
    [accountId, perSecond],
  );
  const tokens = rows[0]!.tokens;
  return tokens >= 0 ? 0 : Math.ceil((-tokens / perSecond) * 1000);
}

// ---------------------------------------------------------------------------------------------------
// Reads for the API

export interface PostPinRow {
  target_id: string;
  account_id: string;
  pin_id: string | null;
  published_at: Date | null;
  last_fetched_at: Date | null;
}

/** The post's targets (with their pins, if published) when the workspace has the post; empty otherwise. */
export async function pinsOfPost(db: Db, workspaceId: string, postId: string): Promise<PostPinRow[]> {
  const { rows } = await db.query<PostPinRow>(
    `SELECT t.id AS target_id, t.account_id, t.pin_id, t.published_at, f.fetched_at AS last_fetched_at
     FROM posts p
     JOIN post_targets t ON t.post_id = p.id
     LEFT JOIN pin_analytics_fetches f ON f.account_id = t.account_id AND f.pin_id = t.pin_id
     WHERE p.id = $1 AND p.workspace_id = $2
     ORDER BY t.position`,
    [postId, workspaceId],
  );
  return rows;
}

export interface StoredDayRow {
  account_id: string;
  pin_id: string;
  date: string;
  metric: string;
  value: number;
  data_status: string;
  final: boolean;
}

/** Stored days of these pins from `from` to `to` (inclusive), by pin and day. */
export async function pinDaysBetween(
  db: Db,
  pins: ReadonlyArray<{ accountId: string; pinId: string }>,
  from: string,
  to: string,
): Promise<StoredDayRow[]> {
  if (pins.length === 0) return [];
  const { rows } = await db.query<StoredDayRow>(
    `SELECT d.account_id, d.pin_id, d.date::text AS date, d.metric, d.value, d.data_status, d.final
     FROM pin_analytics_daily d
     JOIN unnest($1::text[], $2::text[]) AS p(account_id, pin_id) ON p.account_id = d.account_id AND p.pin_id = d.pin_id
     WHERE d.date BETWEEN $3::date AND $4::date
     ORDER BY d.pin_id, d.date, d.metric`,
    [pins.map((p) => p.accountId), pins.map((p) => p.pinId), from, to],
  );
  return rows;
}

export interface AccountTotalsRow {
  metric: string;
  total: number;
}

export interface AccountCoverageRow {
  pins: number;
  pending_days: number;
  final_days: number;
}

/** Per metric, the sum over every stored pin of the account from `from` to `to`. */
export async function accountTotals(db: Db, accountId: string, from: string, to: string): Promise<AccountTotalsRow[]> {
  const { rows } = await db.query<AccountTotalsRow>(
    `SELECT metric, sum(value)::float8 AS total FROM pin_analytics_daily
     WHERE account_id = $1 AND date BETWEEN $2::date AND $3::date GROUP BY metric`,
    [accountId, from, to],
  );
  return rows;
}

/** How many pins have data in the range, and how many pin-days are final or not yet. */
export async function accountCoverage(db: Db, accountId: string, from: string, to: string): Promise<AccountCoverageRow> {
  const { rows } = await db.query<AccountCoverageRow>(
    `SELECT count(DISTINCT pin_id)::int AS pins,
            count(DISTINCT (pin_id, date)) FILTER (WHERE NOT final)::int AS pending_days,
            count(DISTINCT (pin_id, date)) FILTER (WHERE final)::int AS final_days
     FROM pin_analytics_daily WHERE account_id = $1 AND date BETWEEN $2::date AND $3::date`,
    [accountId, from, to],
  );
  return rows[0]!;
}
