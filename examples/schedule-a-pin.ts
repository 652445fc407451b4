// Schedules a pin through the SDK: on the demo account of `npm start` (the Pinterest emulator), or on the first
// connected account of any pinflow.
//
//   PINFLOW_API_KEY=pf_live_… npx tsx examples/schedule-a-pin.ts [image.jpg] [--in 60] [--link https://…] [--wait]
//
// PINFLOW_BASE_URL points it at another pinflow (default http://127.0.0.1:3000). Without an image, it makes one.
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import Pinflow, { PinflowError, type Post } from '../sdk/src/index'; // in your project: import Pinflow from '@pinflow/node'

const DEMO_USERNAME = 'pinflow_demo';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { in: { type: 'string', default: '60' }, link: { type: 'string' }, wait: { type: 'boolean', default: false } },
  });
  const pinflow = new Pinflow(); // PINFLOW_API_KEY, PINFLOW_BASE_URL

  const { items: accounts } = await pinflow.accounts.list();
  const account = accounts.find((a) => a.username === DEMO_USERNAME) ?? accounts[0];
  if (!account) {
    const { authorizeUrl } = await pinflow.accounts.connect();
    console.log(`No Pinterest account is connected yet. Open this page, give access, then run me again:\n  ${authorizeUrl}`);
    process.exitCode = 1;
    return;
  }
  const board = account.boards.find((b) => b.privacy === 'PUBLIC') ?? account.boards[0];
  if (!board) throw new Error(`@${account.username} has no board: create one on Pinterest, then refresh its boards`);

  // A file path, a Buffer and a Readable stream all work; pinflow checks the image now (JPEG or PNG, ≥ 600 × 900).
  const media = await pinflow.media.upload(positionals[0] ?? (await demoImage()), { filename: 'pin.jpg' });

  const post = await pinflow.posts.create({
    content: 'Five-minute tomato salad: ripe tomatoes, good salt, olive oil. Nothing else.',
    scheduledFor: new Date(Date.now() + Number(values.in) * 1000).toISOString(),
    mediaIds: [media.id],
    platforms: [
      {
        accountId: account.id,
        platformOptions: { platform: 'PINTEREST', board: board.id, title: 'Five-minute tomato salad', link: values.link },
      },
    ],
  });
  console.log(`scheduled ${post.id} for ${post.scheduledAt} on "${board.name}" of @${account.username}`);
  if (!values.wait) return;

  const done = await finished(pinflow, post.id);
  console.log(`${done.status}: ${done.targets.map((t) => t.pinUrl ?? t.error?.code).join(', ')}`);
}

/** Polls the post until publishing has ended (a webhook tells you without polling). */
async function finished(pinflow: Pinflow, id: string): Promise<Post> {
  for (;;) {
    const post = await pinflow.posts.get(id);
    if (!['scheduled', 'publishing'].includes(post.status)) return post;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** A 1000 × 1500 (2:3) JPEG, the shape Pinterest recommends. */
function demoImage(): Promise<Buffer> {
  return sharp({ create: { width: 1000, height: 1500, channels: 3, background: { r: 214, g: 64, b: 52 } } })
    .jpeg()
    .toBuffer();
}

main().catch((err: unknown) => {
  if (err instanceof PinflowError) {
    // Every problem at once, each with its code and where it is in the request.
    console.error(`pinflow answered ${err.status} ${err.code} (request ${err.requestId ?? '-'})`);
    for (const problem of err.errors) console.error(`  ${problem.code}${problem.path ? ` at ${problem.path}` : ''}: ${problem.message}`);
  } else {
    console.error(err);
  }
  process.exitCode = 1;
});
