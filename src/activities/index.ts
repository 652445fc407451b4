// Every activity the worker runs, built from the worker's dependencies.
import type { WorkerDeps } from '../temporal/worker-deps';

export function createActivities(_deps: WorkerDeps): Record<string, (...args: never[]) => Promise<unknown>> {
  return {};
}
