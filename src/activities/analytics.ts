// The activities of refreshAnalytics: list a refresh's accounts, refresh one account (its monthly views,
// then each published pin's days, paced under Pinterest's per-user org_analytics limit), and the
// bookkeeping around it. Progress is in PostgreSQL per pin, so a retried or resumed account repeats
// no pin it finished, and a refresh started again repeats no account.
import { announceAnalyticsRefreshed } from './post-events';
import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import { withAccessToken } from '../accounts/tokens';
import { utcDay } from '../analytics/dates';
import { pinDayMetrics } from '../analytics/daily';
import { REQUESTED_PIN_METRICS } from '../analytics/metrics';
import type { AccountSlice } from '../analytics/refresh-plan';
import { fetchWindow } from '../analytics/window';
import * as q from '../db/analytics';
import { inTransaction } from '../db/pool';
import type { Deps } from '../deps';
import { PinflowError, type ErrorCode } from '../domain/errors';
import { isPinterestApiError, PinterestApiError } from '../pinterest';

export interface AnalyticsActivityOptions {
  /** org_analytics requests per minute per account (config ANALYTICS_ORG_ANALYTICS_PER_MINUTE). */
  perMinute: number;
}

/**
 * Refusals about one pin, not the account: the pin was deleted, moved out of reach, or Pinterest
 * refused the question for it. The pin is recorded with the code and the account goes on.
 */
const PIN_REFUSALS: ReadonlySet<ErrorCode> = new Set(['PINTEREST_NOT_FOUND', 'PINTEREST_FORBIDDEN', 'PINTEREST_REJECTED']);

/** Our error as a Temporal failure: the code is the type; a 429 retries after the delay Pinterest asked for. */
function toFailure(err: unknown): unknown {
  if (err instanceof ApplicationFailure || err instanceof CancelledFailure) return err;
  if (err instanceof PinterestApiError) {
    return ApplicationFailure.create({
      type: err.code,
      message: err.message,
      nonRetryable: !err.retryable && err.cooldownMs === undefined,
      nextRetryDelay: err.retryAfterMs ?? err.cooldownMs,
    });
  }
  if (err instanceof PinflowError) {
    return ApplicationFailure.create({ type: err.code, message: err.message, nonRetryable: err.code !== 'SERVICE_UNAVAILABLE' });
  }
  // PostgreSQL hiccups and the unexpected: retried.
  return ApplicationFailure.create({ type: 'INTERNAL', message: err instanceof Error ? err.message : String(err) });
}

export function createAnalyticsActivities(deps: Deps, options: AnalyticsActivityOptions) {
  const { db, logger } = deps;

  /** Waits for the account's next org_analytics request, heartbeating so the wait is not taken for a hang. */
  async function pace(accountId: string): Promise<void> {
    let waitMs = await q.reserveAnalyticsRequest(db, accountId, options.perMinute);
    while (waitMs > 0) {
      const step = Math.min(waitMs, 1_000);
      await Context.current().sleep(step);
      Context.current().heartbeat();
      waitMs -= step;
    }
  }

  async function snapshotAccount(refreshId: string, accountId: string): Promise<void> {
    if (await q.hasSnapshot(db, accountId, refreshId)) return;
    const account = await withAccessToken(deps, accountId, (token) => deps.pinterest.getUserAccount(token));
    await q.saveSnapshot(db, accountId, refreshId, account.monthly_views ?? null);
  }

  /** Fetches one pin's pending days and stores them, counting into `progress` what it sent and changed. */
  async function refreshPin(
    refreshId: string,
    accountId: string,
    pin: q.PinToRefreshRow,
    today: string,
    progress: q.RefreshProgress,
  ): Promise<void> {
    const window = fetchWindow({ publishedDay: pin.published_day, resumeFrom: pin.resume_from }, today);
    if (!window) {
      await q.markPinFetched(db, accountId, pin.pin_id, refreshId, null);
      return;
    }
    await pace(accountId);
    let report;
    try {
      progress.requests += 1;
      report = await withAccessToken(deps, accountId, (token) =>
        deps.pinterest.getPinAnalytics(token, pin.pin_id, { ...window, metricTypes: REQUESTED_PIN_METRICS }),
      );
    } catch (err) {
      if (!isPinterestApiError(err) || !PIN_REFUSALS.has(err.code)) throw err;
      logger.warn(
        { accountId, pinId: pin.pin_id, code: err.code, requestId: err.requestId },
        'Pinterest refused analytics of a pin; skipping it',
      );
      await q.markPinFetched(db, accountId, pin.pin_id, refreshId, err.code);
      return;
    }
    const days = pinDayMetrics(report);
    progress.rowsChanged += await inTransaction(db, async (tx) => {
      const changed = await q.upsertPinDays(tx, accountId, pin.pin_id, days);
      await q.markPinFetched(tx, accountId, pin.pin_id, refreshId, null);
      return changed;
    });
  }

  return {
    /** The active accounts this refresh has not finished; records the refresh. */
    async listAnalyticsAccounts(input: { refreshId: string }): Promise<string[]> {
      await q.beginRefresh(db, input.refreshId);
      return q.accountsToRefresh(db, input.refreshId);
    },

    /**
     * Refreshes the account's pins this refresh has not fetched, oldest first, until done or until
     * `sliceMs` has passed (then `done: false`, and the workflow calls again). The counts are the
     * account's totals in this refresh, every attempt included.
     */
    async refreshAccountAnalytics(input: { refreshId: string; accountId: string; sliceMs: number }): Promise<AccountSlice> {
      const { refreshId, accountId } = input;
      const started = Date.now();
      const retries = Context.current().info.attempt - 1;
      const progress: q.RefreshProgress = { pins: 0, requests: 0, rowsChanged: 0 };
      const sliceOf = (record: q.RefreshAccountRecord): AccountSlice => ({
        done: record.status !== 'running',
        pins: record.pins,
        requests: record.requests,
        rowsChanged: record.rowsChanged,
        retries,
      });
      try {
        // Finished by an attempt whose answer was lost (a crash after the last write): nothing to redo.
        const record = await q.refreshAccountRecord(db, refreshId, accountId);
        if (record && record.status !== 'running') {
          if (record.status === 'refreshed') await announceAnalyticsRefreshed(deps, accountId, refreshId); // the same event id: receivers dedupe
          return sliceOf(record);
        }
        await snapshotAccount(refreshId, accountId);
        const today = utcDay(Date.now());
        for (const pin of await q.pinsToRefresh(db, accountId, refreshId)) {
          if (progress.pins > 0 && Date.now() - started >= input.sliceMs) {
            return sliceOf(await q.recordAccountProgress(db, refreshId, accountId, progress, 'running'));
          }
          await refreshPin(refreshId, accountId, pin, today, progress);
          progress.pins += 1;
          Context.current().heartbeat(progress);
        }
        const done = await q.recordAccountProgress(db, refreshId, accountId, progress, 'refreshed');
        await announceAnalyticsRefreshed(deps, accountId, refreshId);
        return sliceOf(done);
      } catch (err) {
        // What this attempt finished stays counted; its pins are not fetched again.
        await q.recordAccountProgress(db, refreshId, accountId, progress, 'running').catch(() => undefined);
        throw toFailure(err);
      }
    },

    async recordAnalyticsFailure(input: { refreshId: string; accountId: string; code: string; message: string }): Promise<void> {
      await q.recordAccountFailure(db, input.refreshId, input.accountId, input.code, input.message);
    },

    async finishAnalyticsRefresh(input: { refreshId: string }): Promise<void> {
      await q.finishRefresh(db, input.refreshId);
    },
  };
}

export type AnalyticsActivities = ReturnType<typeof createAnalyticsActivities>;
