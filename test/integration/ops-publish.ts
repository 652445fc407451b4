// One post through the HTTP API of any running pinflow (a test system, a spawned cluster), into the
// Pinterest emulator: what the operations tests publish to see the system work end to end.
import assert from 'node:assert/strict';
import { REQUESTED_SCOPES } from '../../src/accounts/connect';
import { demo, type Emulator } from '../../src/emulator';
import type { PostView } from '../../src/posts/schemas';
import { jpeg } from '../support/images';

export type Call = <T = unknown>(method: string, route: string, body?: unknown) => Promise<{ status: number; body: T }>;

export function apiClient(apiUrl: string, apiKey: string): Call {
  return async (method, route, body) => {
    const res = await fetch(`${apiUrl}${route}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as never };
  };
}

export const finished = (p: PostView): boolean => ['published', 'partially_published', 'failed', 'canceled'].includes(p.status);

export async function waitForPost(call: Call, id: string, done: (p: PostView) => boolean, timeoutMs = 30_000): Promise<PostView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await call<PostView>('GET', `/v1/posts/${id}`);
    if (done(body)) return body;
    if (Date.now() > deadline) throw new Error(`post ${id} is still ${body.status}: ${JSON.stringify(body.targets)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Connects the emulator's demo user, uploads an image, schedules a post `inMs` from now; answers the post. */
export async function schedulePost(
  apiUrl: string,
  apiKey: string,
  emulator: Emulator,
  opts: { inMs?: number; title: string },
): Promise<PostView> {
  const call = apiClient(apiUrl, apiKey);
  const tokens = emulator.state.issueTokens({ userId: demo.userId, scopes: REQUESTED_SCOPES });
  const account = await call<{ id: string }>('POST', '/v1/accounts/pinterest', {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresIn: tokens.expiresIn,
  });
  assert.equal(account.status, 201, JSON.stringify(account.body));

  const form = new FormData();
  form.append('file', new Blob([await jpeg(1000, 1500)], { type: 'image/jpeg' }), 'pin.jpg');
  const upload = await fetch(`${apiUrl}/v1/media`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}` }, body: form });
  const media = (await upload.json()) as { id: string };
  assert.equal(upload.status, 201, JSON.stringify(media));

  const post = await call<PostView>('POST', '/v1/posts', {
    content: `${opts.title}: a pin scheduled through the API`,
    scheduledFor: new Date(Date.now() + (opts.inMs ?? 1500)).toISOString(),
    mediaIds: [media.id],
    platforms: [{ accountId: account.body.id, platformOptions: { platform: 'PINTEREST', board: demo.boards.recipes, title: opts.title } }],
  });
  assert.equal(post.status, 201, JSON.stringify(post.body));
  return post.body;
}
