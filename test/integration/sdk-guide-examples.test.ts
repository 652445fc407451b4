// The product guide's three Node examples, run through the SDK against a whole pinflow (API, worker, Temporal,
// PostgreSQL, the Pinterest emulator). Each example is the guide's text except for the lines marked `// guide:`:
// the import, the API key and the ids (a real account, board and media, loopback URLs for the image and link).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demo } from '../../src/emulator';
import Pinflow, { type Post } from '../../sdk/src/index'; // guide: import Postbreeze from "@postbreeze/node";
import { connectDemoAccount } from '../support/accounts';
import { jpeg, serveFiles, type ImageServer } from '../support/images';
import { startTestSystem, type TestSystem } from '../support/system';

/** What the guide writes as `soc_pinterest_…`, `pinterest_board_id_…`, `med_…` and example.com URLs. */
interface Ids {
  apiKey: string;
  account: string;
  board: string;
  officeImageUrl: string;
  officeLink: string;
  bathLink: string;
  carousel: [string, string, string, string];
  image: string;
}

async function quickStart(ids: Ids): Promise<Post> {
  const postbreeze = new Pinflow({ apiKey: ids.apiKey }); // guide: new Postbreeze({ apiKey: process.env.POSTBREEZE_API_KEY })

  const post = await postbreeze.posts.create({
    content: '20 minimalist home office setups for 2026',
    scheduledFor: new Date(Date.now() + 30_000).toISOString(),
    mediaItems: [{ type: 'IMAGE', url: ids.officeImageUrl }], // guide: "https://cdn.example.com/office.jpg"
    platforms: [
      {
        accountId: ids.account, // guide: "soc_pinterest_…"
        platformOptions: {
          platform: 'PINTEREST',
          board: ids.board, // guide: "pinterest_board_id_…"
          title: '20 minimalist home office setups',
          link: ids.officeLink, // guide: "https://example.com/blog/home-office-setups"
        },
      },
    ],
  });
  return post;
}

async function carousel(ids: Ids): Promise<Post> {
  const postbreeze = new Pinflow({ apiKey: ids.apiKey }); // guide: (the quick start's client)

  const post = await postbreeze.posts.create({
    content: 'Bathroom renovation — before & after',
    scheduledFor: new Date(Date.now() + 30_000).toISOString(),
    mediaIds: ids.carousel, // guide: ["med_before_1", "med_after_1", "med_before_2", "med_after_2"]
    platforms: [
      {
        accountId: ids.account, // guide: "soc_pinterest_…"
        platformOptions: {
          platform: 'PINTEREST',
          board: ids.board, // guide: "pinterest_board_id_…"
          title: 'Bathroom before & after',
          link: ids.bathLink, // guide: "https://example.com/case-study/bath"
        },
      },
    ],
  });
  return post;
}

async function nestedShape(ids: Ids): Promise<Post> {
  const postbreeze = new Pinflow({ apiKey: ids.apiKey }); // guide: new Postbreeze({ apiKey: process.env.POSTBREEZE_API_KEY })

  const post = await postbreeze.posts.create({
    caption: '20 minimalist home office setups for 2026',
    scheduledAt: new Date(Date.now() + 30_000).toISOString(),
    mediaIds: [ids.image], // guide: ["med_image_…"]
    targets: [
      {
        socialAccountId: ids.account, // guide: "soc_pinterest_…"
        platformOptions: {
          platform: 'PINTEREST',
          board: ids.board, // guide: "pinterest_board_id_…"
          title: '20 minimalist home office setups',
          link: ids.officeLink, // guide: "https://example.com/blog/home-office-setups"
        },
      },
    ],
  });
  return post;
}

describe("the guide's Node examples, through the SDK", () => {
  let ts: TestSystem;
  let files: ImageServer;
  let client: Pinflow;
  let ids: Ids;
  const created = new Map<string, Promise<Post>>();

  before(async () => {
    ts = await startTestSystem({ worker: true });
    // The guide's client takes only an API key: the SDK finds this test's API through PINFLOW_BASE_URL.
    process.env.PINFLOW_BASE_URL = ts.apiUrl;
    client = new Pinflow({ apiKey: ts.workspace.apiKey });
    const { accountId } = await connectDemoAccount(ts);
    files = await serveFiles({
      'office.jpg': { body: await jpeg(1000, 1500), type: 'image/jpeg' },
      'blog/home-office-setups': { body: '<html>20 setups</html>', type: 'text/html' },
      'case-study/bath': { body: '<html>bath</html>', type: 'text/html' },
    });
    const slides = await Promise.all([0, 1, 2, 3].map(async (i) => (await client.media.upload(await jpeg(1000, 1500, 50 * i))).id));
    ids = {
      apiKey: ts.workspace.apiKey,
      account: accountId,
      board: demo.boards.recipes,
      officeImageUrl: files.url('office.jpg'),
      officeLink: files.url('blog/home-office-setups'),
      bathLink: files.url('case-study/bath'),
      carousel: slides as Ids['carousel'],
      image: (await client.media.upload(await jpeg(1000, 1500, 200))).id,
    };
    // All three are due 30 s after they are created (as the guide writes them): create them together, wait once.
    for (const [name, example] of [
      ['quick start', quickStart],
      ['carousel', carousel],
      ['nested shape', nestedShape],
    ] as const) {
      const post = example(ids);
      post.catch(() => undefined); // a failure is reported by its own test, not as an unhandled rejection
      created.set(name, post);
    }
  });

  after(async () => {
    delete process.env.PINFLOW_BASE_URL;
    await files?.close();
    await ts?.stop();
  });

  async function published(name: string): Promise<{ post: Post; pin: ReturnType<TestSystem['emulator']['state']['createdPins']>[number] }> {
    const post = await created.get(name)!;
    assert.equal(post.status, 'scheduled');
    const deadline = Date.now() + 90_000;
    let current = post;
    while (!['published', 'partially_published', 'failed', 'canceled'].includes(current.status)) {
      assert.ok(Date.now() < deadline, `${name}: still ${current.status}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
      current = await client.posts.get(post.id);
    }
    assert.equal(current.status, 'published', JSON.stringify(current.targets));
    const pin = ts.emulator.state.createdPins().find((p) => p.id === current.targets[0]!.pinId);
    assert.ok(pin, `${name}: the pin exists at Pinterest`);
    assert.ok(Date.parse(pin.createdAt) >= Date.parse(post.scheduledAt), 'never early');
    return { post: current, pin };
  }

  const imageCount = (mediaSource: { source_type: string; items?: unknown[] }): number =>
    mediaSource.source_type === 'multiple_image_base64' ? (mediaSource.items?.length ?? 0) : 1;

  it('publishes the quick start (flat shape, image by URL) as one pin on the board, with its title, link and description', async () => {
    const { pin } = await published('quick start');
    assert.equal(pin.boardId, demo.boards.recipes);
    assert.equal(pin.requestBody.title, '20 minimalist home office setups');
    assert.equal(pin.requestBody.link, ids.officeLink);
    assert.equal(pin.requestBody.description, '20 minimalist home office setups for 2026');
    assert.equal(imageCount(pin.requestBody.media_source), 1);
  });

  it('publishes the carousel example (four mediaIds) as one carousel pin of four images', async () => {
    const { post, pin } = await published('carousel');
    assert.deepEqual(post.mediaIds, ids.carousel);
    assert.equal(pin.boardId, demo.boards.recipes);
    assert.equal(pin.requestBody.title, 'Bathroom before & after');
    assert.equal(pin.requestBody.link, ids.bathLink);
    assert.equal(pin.requestBody.description, 'Bathroom renovation — before & after');
    assert.equal(imageCount(pin.requestBody.media_source), 4);
  });

  it('publishes the nested-shape example like the flat one', async () => {
    const { pin } = await published('nested shape');
    assert.equal(pin.boardId, demo.boards.recipes);
    assert.equal(pin.requestBody.title, '20 minimalist home office setups');
    assert.equal(pin.requestBody.link, ids.officeLink);
    assert.equal(pin.requestBody.description, '20 minimalist home office setups for 2026');
    assert.equal(imageCount(pin.requestBody.media_source), 1);
  });
});
