// Started every minute by the `posts-reconcile` Schedule: one activity that starts the workflow of any post
// due soon that was stored without one. What it started is in its result, in the Web UI.
import { proxyActivities } from '@temporalio/workflow';
import type { ReconcileActivities } from '../activities/reconcile';
import type { ReconcileOptions, ReconcileResult } from '../posts/reconcile';

const { startMissingPostWorkflows } = proxyActivities<ReconcileActivities>({
  startToCloseTimeout: '1 minute',
  // The next run comes a minute later anyway.
  retry: { initialInterval: '5 seconds', maximumAttempts: 3 },
});

export const defaultReconcileOptions: ReconcileOptions = {
  // The Schedule runs every minute and a post starts publishing 20 s ahead: a post due within two minutes
  // is found by two runs before its time.
  aheadMs: 2 * 60_000,
  minAgeMs: 60_000,
  limit: 5_000,
};

export async function reconcilePosts(options: Partial<ReconcileOptions> = {}): Promise<ReconcileResult> {
  return startMissingPostWorkflows({ ...defaultReconcileOptions, ...options });
}
