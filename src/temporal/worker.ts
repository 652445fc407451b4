// The pinflow worker: every workflow and activity on one task queue (DESIGN.md §4).
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { WorkerDeps } from './worker-deps';

export async function createWorker(deps: WorkerDeps, connection: NativeConnection): Promise<Worker> {
  const { config } = deps;
  const workflows = config.WORKFLOW_BUNDLE_PATH
    ? { workflowBundle: { codePath: config.WORKFLOW_BUNDLE_PATH } }
    : { workflowsPath: require.resolve('../workflows') };
  return Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    activities: createActivities(deps),
    ...workflows,
    // Sized for 2 cores: many sleeping workflows cost nothing, so the cache holds them.
    maxCachedWorkflows: 2000,
    maxConcurrentActivityTaskExecutions: 50,
  });
}

export async function connectWorker(address: string): Promise<NativeConnection> {
  return NativeConnection.connect({ address });
}
