// The reconciler's activity: start the workflows of posts stored without one (src/posts/reconcile.ts).
import type { Deps } from '../deps';
import { startMissingWorkflows, type ReconcileOptions, type ReconcileResult } from '../posts/reconcile';

export function createReconcileActivities(deps: Deps) {
  return {
    async startMissingPostWorkflows(options: ReconcileOptions): Promise<ReconcileResult> {
      return startMissingWorkflows(deps, options);
    },
  };
}

export type ReconcileActivities = ReturnType<typeof createReconcileActivities>;
