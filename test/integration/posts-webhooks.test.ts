// A post tells the workspace's webhooks what happened to it, in order, signed, with its pin.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { verifyWebhook } from '../../sdk/src/webhooks';
import { demo } from '../../src/emulator';
import type { PostView } from '../../src/posts/schemas';
import { connectDemoAccount } from '../support/accounts';
import { jpeg } from '../support/images';
import { uploadImage } from '../support/media';
import { startTestSystem, type TestSystem } from '../support/system';

interface Received {
  id: string;
  type: string;
  data: Record<string, string>;
}

describe('webhooks of a post', () => {
  let ts: TestSystem;
  let receiver: http.Server;
  const received: Received[] = [];
  let secret = '';
  let webhookId = '';

  const receiverUrl = (): string => `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  before(async () => {
    ts = await startTestSystem({ worker: true });
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const header = req.headers['pinflow-signature'];
        verifyWebhook({ payload: body, header: typeof header === 'string' ? header : '', secret });
        received.push(JSON.parse(body) as Received);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `${receiverUrl()}/hooks`;
    const created = await ts.call<{ id: string; secret: string }>('POST', '/v1/webhooks', { url });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    secret = created.body.secret;
    webhookId = created.body.id;
  });
  after(async () => {
    await ts?.stop();
    receiver?.close();
  });

  it('sends post.scheduled then post.published with the pin, signed', async () => {
    const { accountId } = await connectDemoAccount(ts);
    const mediaId = await uploadImage(ts.apiUrl, ts.workspace.apiKey, await jpeg(1000, 1500));
    const res = await ts.call<PostView>('POST', '/v1/posts', {
      content: 'Hooked',
      scheduledFor: new Date(Date.now() + 1000).toISOString(),
      mediaIds: [mediaId],
      platforms: [{ accountId, platformOptions: { platform: 'PINTEREST', board: demo.boards.recipes } }],
    });
    assert.equal(res.status, 201);
    const deadline = Date.now() + 30_000;
    while (!received.some((e) => e.type === 'post.published') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const mine = received.filter((e) => e.data.postId === res.body.id);
    assert.deepEqual(
      mine.map((e) => e.type),
      ['post.scheduled', 'post.published'],
    );
    const post = (await ts.call<PostView>('GET', `/v1/posts/${res.body.id}`)).body;
    assert.equal(mine[1]!.data.pinId, post.targets[0]!.pinId);
    assert.equal(mine[1]!.data.targetId, post.targets[0]!.id);
    assert.match(mine[1]!.id, /^evt_/);
  });

  it('skips the post.scheduled announcement when no webhook takes it, and still sends post.published', async () => {
    assert.equal((await ts.call('DELETE', `/v1/webhooks/${webhookId}`)).status, 204);
    const hook = await ts.call<{ id: string; secret: string }>('POST', '/v1/webhooks', {
      url: `${receiverUrl()}/published-only`,
      events: ['post.published'],
    });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    secret = hook.body.secret;
    const { accountId } = await connectDemoAccount(ts);
    const mediaId = await uploadImage(ts.apiUrl, ts.workspace.apiKey, await jpeg(1000, 1500, 30));
    const res = await ts.call<PostView>('POST', '/v1/posts', {
      content: 'Quietly scheduled',
      scheduledFor: new Date(Date.now() + 1000).toISOString(),
      mediaIds: [mediaId],
      platforms: [{ accountId, platformOptions: { platform: 'PINTEREST', board: demo.boards.recipes } }],
    });
    assert.equal(res.status, 201);
    const deadline = Date.now() + 30_000;
    while (!received.some((e) => e.type === 'post.published' && e.data.postId === res.body.id) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(
      received.filter((e) => e.data.postId === res.body.id).map((e) => e.type),
      ['post.published'],
    );
    const history = await ts.system.temporal.client.workflow.getHandle(res.body.id).fetchHistory();
    const activities = (history.events ?? []).flatMap((e) =>
      e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType?.name] : [],
    );
    assert.ok(activities.includes('publishTarget'), JSON.stringify(activities));
    assert.ok(!activities.includes('announceScheduled'), `no announcement activity: ${JSON.stringify(activities)}`);
  });
});
