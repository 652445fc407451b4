// Analytics as a workspace reads them: a post's pins, or an account, over a range of UTC days. Only
// what the refresh stored is read; nothing here calls Pinterest.
import { accountNotFound, findAccount } from '../accounts';
import * as q from '../db/analytics';
import type { Db } from '../db/pool';
import { PinflowError } from '../domain/errors';
import { addDays, daysBetween, utcDay } from './dates';
import { addCounts, isStoredMetric, pinMetrics, zeroCounts, type MetricCounts } from './metrics';
import type { AccountAnalyticsReport, AnalyticsDay, AnalyticsRangeQuery, PinAnalyticsReport, PostAnalyticsReport } from './schemas';

/** Days in the default range, today included. */
export const DEFAULT_RANGE_DAYS = 30;
/** A longer range is refused: the daily series would be a year and more of rows per pin. */
export const MAX_RANGE_DAYS = 366;

export interface DayRange {
  from: string;
  to: string;
}

export function resolveRange(query: AnalyticsRangeQuery, today: string = utcDay(Date.now())): DayRange {
  const to = query.to ?? today;
  const from = query.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
  const span = daysBetween(from, to) + 1;
  if (span < 1) throw invalidRange('`from` is after `to`.', 'from');
  if (span > MAX_RANGE_DAYS) throw invalidRange(`The range is ${span} days; at most ${MAX_RANGE_DAYS} are served at once.`, 'from');
  return { from, to };
}

function invalidRange(message: string, path: string): PinflowError {
  return new PinflowError('VALIDATION_FAILED', message, [{ code: 'VALIDATION_FAILED', message, path }]);
}

export async function getPostAnalytics(
  db: Db,
  workspaceId: string,
  postId: string,
  query: AnalyticsRangeQuery,
): Promise<PostAnalyticsReport> {
  const range = resolveRange(query);
  const targets = await q.pinsOfPost(db, workspaceId, postId);
  if (targets.length === 0) throw new PinflowError('POST_NOT_FOUND', `No post ${postId} in this workspace.`);
  const published = targets.flatMap((t) => (t.pin_id ? [{ accountId: t.account_id, pinId: t.pin_id }] : []));
  const rows = await q.pinDaysBetween(db, published, range.from, range.to);
  const pins = targets.map((target) => pinReport(target, rows));
  const total = pins.reduce((sum, pin) => addCounts(sum, countsOfMetrics(pin.metrics)), zeroCounts());
  return { postId, ...range, metrics: pinMetrics(total), pins };
}

export async function getAccountAnalytics(
  db: Db,
  workspaceId: string,
  accountId: string,
  query: AnalyticsRangeQuery,
): Promise<AccountAnalyticsReport> {
  const range = resolveRange(query);
  if (!(await findAccount(db, workspaceId, accountId))) throw accountNotFound(accountId);
  const [totals, coverage, latest, history] = await Promise.all([
    q.accountTotals(db, accountId, range.from, range.to),
    q.accountCoverage(db, accountId, range.from, range.to),
    q.latestSnapshot(db, accountId),
    q.snapshotsBetween(db, accountId, new Date(`${range.from}T00:00:00Z`), new Date(`${addDays(range.to, 1)}T00:00:00Z`)),
  ]);
  const counts = totals.reduce(
    (sum, row) => (isStoredMetric(row.metric) ? addCounts(sum, { [row.metric]: row.total }) : sum),
    zeroCounts(),
  );
  return {
    accountId,
    ...range,
    monthlyViewers: latest ? monthlyViewers(latest) : null,
    monthlyViewersHistory: history.map(monthlyViewers),
    pins: coverage.pins,
    metrics: pinMetrics(counts),
    finalDays: coverage.final_days,
    pendingDays: coverage.pending_days,
  };
}

function monthlyViewers(row: q.SnapshotRow): { value: number | null; takenAt: string } {
  return { value: row.monthly_views, takenAt: row.taken_at.toISOString() };
}

function pinReport(target: q.PostPinRow, rows: readonly q.StoredDayRow[]): PinAnalyticsReport {
  const own = target.pin_id ? rows.filter((r) => r.pin_id === target.pin_id && r.account_id === target.account_id) : [];
  const daily = dailySeries(own);
  const finalDays = new Set(own.filter((r) => r.final).map((r) => r.date)).size;
  const total = own.reduce((sum, row) => (isStoredMetric(row.metric) ? addCounts(sum, { [row.metric]: row.value }) : sum), zeroCounts());
  return {
    targetId: target.target_id,
    accountId: target.account_id,
    pinId: target.pin_id,
    publishedAt: target.published_at?.toISOString() ?? null,
    lastRefreshedAt: target.last_fetched_at?.toISOString() ?? null,
    metrics: pinMetrics(total),
    finalDays,
    pendingDays: daily.length - finalDays,
    daily,
  };
}

/** Rows (one per day and metric, ordered by day) → one entry per day. */
function dailySeries(rows: readonly q.StoredDayRow[]): AnalyticsDay[] {
  const days = new Map<string, { dataStatus: string; counts: MetricCounts }>();
  for (const row of rows) {
    const entry = days.get(row.date) ?? { dataStatus: row.data_status, counts: zeroCounts() };
    if (isStoredMetric(row.metric)) entry.counts = addCounts(entry.counts, { [row.metric]: row.value });
    days.set(row.date, entry);
  }
  return [...days].map(([date, { dataStatus, counts }]) => ({ date, dataStatus, metrics: pinMetrics(counts) }));
}

/** The counts back from a pin's metrics, to add pins up (rates are recomputed, never added). */
function countsOfMetrics(m: PinAnalyticsReport['metrics']): MetricCounts {
  return { IMPRESSION: m.impressions, PIN_CLICK: m.closeups, SAVE: m.saves, OUTBOUND_CLICK: m.outboundClicks };
}
