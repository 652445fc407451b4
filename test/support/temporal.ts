// Temporal for tests: the dev server that `npm test` started, or a time-skipping environment.
import { randomBytes } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadConfig } from '../../src/config';
import { timeSkippingServerExecutable } from '../../src/infra/test-server';

export function temporalAddress(): string {
  const address = loadConfig().TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set: run the tests with `npm test`, which starts a dev server');
  return address;
}

/** A task queue of its own per test file, so workers of files running side by side never steal work. */
export function uniqueTaskQueue(name: string): string {
  return `${name}-${randomBytes(4).toString('hex')}`;
}

export function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const executable = timeSkippingServerExecutable(loadConfig());
  return TestWorkflowEnvironment.createTimeSkipping(executable ? { server: { executable } } : {});
}
