// Bursts: posts cluster on round minutes, so the emulator must stay exact when many creations arrive
// at once — distinct pin ids, and a rate limit that lets exactly its quota through.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import sharp from 'sharp';
import { createEmulator, demo, demoFixture, type Emulator } from '../../src/emulator';
import { createPinterestClient, PinterestApiError, type PinCreate, type PinterestClient } from '../../src/pinterest';

describe('the emulator under a burst of pin creations', () => {
  let emulator: Emulator;
  let client: PinterestClient;
  let token: string;
  let body: PinCreate;

  before(async () => {
    emulator = await createEmulator({ fixture: demoFixture() });
    client = createPinterestClient({ apiUrl: emulator.url, clientId: demo.clientId, clientSecret: demo.clientSecret, timeoutMs: 20_000 });
    const image = await sharp({ create: { width: 120, height: 180, channels: 3, background: '#2a9d8f' } })
      .png()
      .toBuffer();
    body = {
      board_id: demo.boards.recipes,
      title: 'Burst',
      media_source: { source_type: 'image_base64', content_type: 'image/png', data: image.toString('base64') },
    };
  });
  beforeEach(() => {
    emulator.state.reset();
    token = emulator.state.issueTokens({
      userId: demo.userId,
      scopes: ['boards:read', 'boards:write', 'pins:read', 'pins:write'],
    }).accessToken;
  });
  after(() => emulator.close());

  it('gives 200 concurrent creations 200 distinct ids', async () => {
    emulator.state.setRateLimits({ org_write: { limit: 1000, windowMs: 60_000 } });
    const created = await Promise.all(Array.from({ length: 200 }, (_, i) => client.createPin(token, { ...body, title: `Burst ${i}` })));
    const ids = created.map(({ pin }) => pin.id);
    assert.equal(new Set(ids).size, 200);
    assert.ok(ids.every((id) => /^\d+$/.test(id)));
    const listed = emulator.state.createdPins();
    assert.equal(listed.length, 200);
    assert.deepEqual(new Set(listed.map((p) => p.id)), new Set(ids));
    assert.deepEqual(new Set(listed.map((p) => p.requestBody.title)), new Set(created.map(({ pin }) => pin.title)));
  });

  it('lets exactly the quota through when 80 creations race for 37 writes', async () => {
    emulator.state.setRateLimits({ org_write: { limit: 37, windowMs: 60_000 } });
    const outcomes = await Promise.allSettled(Array.from({ length: 80 }, () => client.createPin(token, body)));
    const created = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
    assert.equal(created.length, 37);
    assert.equal(refused.length, 43);
    assert.ok(refused.every((err) => err instanceof PinterestApiError && err.code === 'PIN_RATE_LIMITED' && err.status === 429));
    assert.equal(emulator.state.createdPins().length, 37);
  });
});
