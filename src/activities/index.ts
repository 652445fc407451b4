// Every activity the worker runs, built from the worker's dependencies.
import type { Deps } from '../deps';
import { createPublishActivities } from './publish';

export function createActivities(deps: Deps) {
  return { ...createPublishActivities(deps) };
}
