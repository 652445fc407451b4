// Every activity the worker runs, built from the worker's dependencies.
import type { Deps } from '../deps';
import { createAnalyticsActivities } from './analytics';
import { createPreflightActivities } from './preflight';
import { createPublishActivities } from './publish';
import { createReconcileActivities } from './reconcile';
import { createWebhookActivities } from './webhooks';

export function createActivities(deps: Deps) {
  return {
    ...createPreflightActivities(deps),
    ...createAnalyticsActivities(deps, { perMinute: deps.config.ANALYTICS_ORG_ANALYTICS_PER_MINUTE }),
    ...createPublishActivities(deps, {
      writeLimit: deps.config.PINTEREST_WRITE_LIMIT,
      writeWindowMs: deps.config.PINTEREST_WRITE_WINDOW_MS,
      settleMs: deps.config.PUBLISH_SETTLE_MS,
      callTimeoutMs: deps.config.PINTEREST_TIMEOUT_MS,
    }),
    ...createWebhookActivities(deps),
    ...createReconcileActivities(deps),
  };
}
