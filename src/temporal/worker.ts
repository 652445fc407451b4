// The pinflow worker: every workflow and activity on one task queue (DESIGN.md §4).
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { dataConverterFor } from './codec';
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
    dataConverter: dataConverterFor(config.ENCRYPTION_KEY),
    // SIGTERM: stop polling, let running activities finish (a Pinterest call in flight), then cancel them;
    // the force time keeps a stuck activity from holding the process past the orchestrator's patience.
    shutdownGraceTime: config.WORKER_SHUTDOWN_GRACE_MS,
    shutdownForceTime: config.WORKER_SHUTDOWN_GRACE_MS + 10_000,
    // A sleeping post needs no cache: it is replayed (a few events) when its timer fires, 20 s ahead of its
    // time. 2,000 cached posts ran the workflow thread out of heap in a benchmark (docs/benchmarks.md).
    maxCachedWorkflows: config.WORKER_CACHED_WORKFLOWS,
    // Activities wait on Pinterest, PostgreSQL and the due time, not the CPU: a burst of posts due at once is
    // dispatched a few seconds ahead and waits here side by side (a waiting pin holds no image bytes).
    maxConcurrentActivityTaskExecutions: 2000,
  });
}

export async function connectWorker(address: string): Promise<NativeConnection> {
  return NativeConnection.connect({ address });
}
