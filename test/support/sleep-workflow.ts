// A workflow for the foundation tests: sleeps, then reports how much workflow time passed.
import { sleep } from '@temporalio/workflow';

export async function sleepFor(ms: number): Promise<number> {
  const start = Date.now();
  await sleep(ms);
  return Date.now() - start;
}
