// Prints every post of the workspace, page after page, with where each pin landed.
//
//   PINFLOW_API_KEY=pf_live_… npx tsx examples/list-posts.ts [--status scheduled]
import { parseArgs } from 'node:util';
import Pinflow, { type PostStatus } from '../sdk/src/index'; // in your project: import Pinflow from '@pinflow/node'

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { status: { type: 'string' } } });
  const pinflow = new Pinflow();

  let count = 0;
  // `for await` fetches the next page when this one is used up; `await pinflow.posts.list()` gives one page.
  for await (const post of pinflow.posts.list({ status: values.status as PostStatus | undefined, limit: 50 })) {
    const pins = post.targets.map((t) => t.pinUrl ?? t.error?.code ?? t.status).join(' ');
    console.log(`${post.id}  ${post.status.padEnd(19)} ${post.scheduledAt}  ${pins}`);
    count++;
  }
  console.log(`${count} post(s)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
