import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { oauthTokenResponseSchema, pinCreateSchema, pinSchema } from '../../src/pinterest/schemas';

const image = { source_type: 'image_base64', content_type: 'image/png', data: 'iVBORw0KGgo=' } as const;

describe('pinCreateSchema', () => {
  it('counts characters, not UTF-16 units: a title of 100 emoji is allowed, 101 is not', () => {
    assert.equal(pinCreateSchema.safeParse({ board_id: '1', title: '😀'.repeat(100), media_source: image }).success, true);
    assert.equal(pinCreateSchema.safeParse({ board_id: '1', title: '😀'.repeat(101), media_source: image }).success, false);
  });

  it('keeps the spec limits: description 800, link 2048, alt text 500', () => {
    const base = { board_id: '1', media_source: image };
    assert.equal(pinCreateSchema.safeParse({ ...base, description: 'd'.repeat(800) }).success, true);
    assert.equal(pinCreateSchema.safeParse({ ...base, description: 'd'.repeat(801) }).success, false);
    assert.equal(pinCreateSchema.safeParse({ ...base, link: 'l'.repeat(2049) }).success, false);
    assert.equal(pinCreateSchema.safeParse({ ...base, alt_text: 'a'.repeat(501) }).success, false);
  });

  it('refuses a board id that is not digits, and a data: URI in place of raw base64', () => {
    assert.equal(pinCreateSchema.safeParse({ board_id: 'board-1', media_source: image }).success, false);
    assert.equal(
      pinCreateSchema.safeParse({ board_id: '1', media_source: { ...image, data: 'data:image/png;base64,iVBOR' } }).success,
      false,
    );
  });

  it('takes 2 to 5 carousel images', () => {
    const items = (n: number) => Array.from({ length: n }, () => ({ url: 'https://example.com/a.png' }));
    const carousel = (n: number) => ({ board_id: '1', media_source: { source_type: 'multiple_image_urls', items: items(n) } });
    assert.deepEqual(
      [1, 2, 5, 6].map((n) => pinCreateSchema.safeParse(carousel(n)).success),
      [false, true, true, false],
    );
  });
});

describe('pinSchema', () => {
  it('reads a created_at without offset, as Pinterest really sends it, as UTC', () => {
    const pin = pinSchema.parse({ id: '999658448514149467', created_at: '2022-10-13T01:40:29' });
    assert.equal(pin.created_at, '2022-10-13T01:40:29.000Z');
  });

  it('reads a created_at with an offset as that instant', () => {
    assert.equal(pinSchema.parse({ id: '1', created_at: '2022-10-13T03:40:29+02:00' }).created_at, '2022-10-13T01:40:29.000Z');
  });

  it('does not trip over a creative type it has never seen', () => {
    assert.equal(pinSchema.parse({ id: '1', creative_type: 'SOMETHING_NEW' }).creative_type, 'SOMETHING_NEW');
  });
});

describe('oauthTokenResponseSchema', () => {
  it("turns Pinterest's snake_case into our words", () => {
    const tokens = oauthTokenResponseSchema.parse({
      access_token: 'pina_abc',
      refresh_token: 'pinr_def',
      token_type: 'bearer',
      expires_in: 2_592_000,
      refresh_token_expires_in: 5_184_000,
      refresh_token_expires_at: 1_800_000_000,
      scope: 'boards:read,pins:write',
      response_type: 'authorization_code',
    });
    assert.deepEqual(tokens, {
      accessToken: 'pina_abc',
      refreshToken: 'pinr_def',
      expiresIn: 2_592_000,
      refreshTokenExpiresIn: 5_184_000,
      scope: 'boards:read,pins:write',
    });
  });
});
