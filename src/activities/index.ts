// Every activity the worker runs, built from the worker's dependencies.
import type { Deps } from '../deps';
import { createPreflightActivities } from './preflight';
import { createPublishActivities } from './publish';

export function createActivities(deps: Deps) {
  return {
    ...createPreflightActivities(deps),
    ...createPublishActivities(deps, {
      writesPerMinute: deps.config.PINTEREST_WRITES_PER_MINUTE,
      writeBurst: deps.config.PINTEREST_WRITES_PER_MINUTE,
      settleMs: deps.config.PUBLISH_SETTLE_MS,
    }),
  };
}
