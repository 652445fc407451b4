// The bookkeeping of one analytics refresh, shared by its workflow and activities: options, what a slice
// of an account reports, and the running totals. Pure: the workflow bundle imports it.

export interface RefreshOptions {
  /** Accounts refreshed side by side. Pinterest's limits are per user, so accounts do not slow each other. */
  accountConcurrency: number;
  /** Accounts per workflow run; the rest go to the next run (continueAsNew), keeping each history short. */
  accountsPerRun: number;
  /** An account activity stops starting pins after this long and reports back; the workflow calls it again. */
  sliceMs: number;
  /** A worker that dies mid-account is noticed after this long, and the account resumes on another. */
  heartbeatTimeoutMs: number;
}

export const defaultRefreshOptions: RefreshOptions = {
  accountConcurrency: 4,
  accountsPerRun: 100,
  sliceMs: 5 * 60_000,
  heartbeatTimeoutMs: 60_000,
};

/** What a call of the account activity reports: the account's totals in this refresh so far. */
export interface AccountSlice {
  /** Every pin of the account has been fetched (or refused by Pinterest) in this refresh. */
  done: boolean;
  pins: number;
  /** org_analytics requests sent, 429s included. */
  requests: number;
  rowsChanged: number;
  /** Attempts of this call before the one that returned (each after a 429 or another retryable failure). */
  retries: number;
}

export interface RefreshSummary {
  refreshId: string;
  /** Workflow runs of this refresh (continueAsNew starts another). */
  runs: number;
  accountsRefreshed: number;
  accountsFailed: number;
  pins: number;
  requests: number;
  rowsChanged: number;
  retries: number;
  /** The first failures, for the Web UI; every one is in analytics_refresh_accounts. */
  failures: Array<{ accountId: string; code: string }>;
}

const MAX_LISTED_FAILURES = 20;

export function emptySummary(refreshId: string): RefreshSummary {
  return { refreshId, runs: 1, accountsRefreshed: 0, accountsFailed: 0, pins: 0, requests: 0, rowsChanged: 0, retries: 0, failures: [] };
}

export function nextRun(summary: RefreshSummary): RefreshSummary {
  return { ...summary, runs: summary.runs + 1 };
}

/** Retries count per call; the account's totals count once, when it is done. */
export function addSlice(summary: RefreshSummary, slice: AccountSlice): RefreshSummary {
  const retried = { ...summary, retries: summary.retries + slice.retries };
  if (!slice.done) return retried;
  return {
    ...retried,
    accountsRefreshed: summary.accountsRefreshed + 1,
    pins: summary.pins + slice.pins,
    requests: summary.requests + slice.requests,
    rowsChanged: summary.rowsChanged + slice.rowsChanged,
  };
}

export function addFailure(summary: RefreshSummary, accountId: string, code: string): RefreshSummary {
  const failures = summary.failures.length < MAX_LISTED_FAILURES ? [...summary.failures, { accountId, code }] : summary.failures;
  return { ...summary, accountsFailed: summary.accountsFailed + 1, failures };
}

/**
 * Runs `work` on the items, `concurrency` at a time, taking a new item only while `mayStart()` holds.
 * Answers the items never started, in order.
 */
export async function forEachWhile<T>(
  items: readonly T[],
  concurrency: number,
  mayStart: () => boolean,
  work: (item: T) => Promise<void>,
): Promise<T[]> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length && mayStart()) {
      const item = items[next++]!;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane));
  return items.slice(next);
}
