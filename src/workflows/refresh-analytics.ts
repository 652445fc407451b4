// One analytics refresh, started by the `analytics-refresh` Schedule: every active account, a few side by
// side, each refreshed by its activity a time slice at a time until done; a failed account is recorded
// and the others go on. A large refresh continues as new with the accounts it has not started, under
// the same refresh id, so no run's history grows without bound and no finished account is repeated.
import { ActivityFailure, ApplicationFailure, continueAsNew, log, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { AnalyticsActivities } from '../activities/analytics';
import {
  addFailure,
  addSlice,
  defaultRefreshOptions,
  emptySummary,
  forEachWhile,
  nextRun,
  type RefreshOptions,
  type RefreshSummary,
} from '../analytics/refresh-plan';

export interface RefreshAnalyticsInput {
  /** Names the refresh in the database; the first run's workflow id unless given. */
  refreshId?: string;
  /** Accounts left for this run (set by continueAsNew); listed by an activity when absent. */
  accountIds?: string[];
  options?: Partial<RefreshOptions>;
  /** Totals of the earlier runs of this refresh. */
  carried?: RefreshSummary;
}

const bookkeeping = proxyActivities<AnalyticsActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

function accountActivities(options: RefreshOptions) {
  return proxyActivities<AnalyticsActivities>({
    // A slice stops starting pins after sliceMs; the last pin may still wait for its turn and for Pinterest.
    startToCloseTimeout: options.sliceMs + 5 * 60_000,
    heartbeatTimeout: options.heartbeatTimeoutMs,
    // A 429 carries Pinterest's own delay (nextRetryDelay), which replaces this backoff. Every attempt
    // keeps what it fetched, so attempts are progress, not repetition.
    retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 20 },
  });
}

export async function refreshAnalytics(input: RefreshAnalyticsInput = {}): Promise<RefreshSummary> {
  const options: RefreshOptions = { ...defaultRefreshOptions, ...input.options };
  const refreshId = input.refreshId ?? workflowInfo().workflowId;
  const { refreshAccountAnalytics } = accountActivities(options);
  let summary = input.carried ? nextRun(input.carried) : emptySummary(refreshId);
  const accountIds = input.accountIds ?? (await bookkeeping.listAnalyticsAccounts({ refreshId }));

  let started = 0;
  const mayStart = (): boolean => started < options.accountsPerRun && !workflowInfo().continueAsNewSuggested;
  const left = await forEachWhile(accountIds, options.accountConcurrency, mayStart, async (accountId) => {
    started += 1;
    await refreshAccount(accountId);
  });
  if (left.length > 0) {
    return continueAsNew<typeof refreshAnalytics>({ refreshId, accountIds: left, options: input.options, carried: summary });
  }
  await bookkeeping.finishAnalyticsRefresh({ refreshId });
  log.info('analytics refresh finished', { ...summary, failures: summary.failures.length });
  return summary;

  async function refreshAccount(accountId: string): Promise<void> {
    try {
      for (;;) {
        const slice = await refreshAccountAnalytics({ refreshId, accountId, sliceMs: options.sliceMs });
        summary = addSlice(summary, slice);
        if (slice.done) return;
      }
    } catch (err) {
      const code = failureCode(err);
      await bookkeeping.recordAnalyticsFailure({ refreshId, accountId, code, message: failureMessage(err) });
      summary = addFailure(summary, accountId, code);
    }
  }
}

function failureCode(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure && cause.type ? cause.type : 'PINTEREST_UNAVAILABLE';
}

function failureMessage(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof Error ? cause.message : 'refreshing the account failed';
}
