import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyPinterestFailure, retryAfterMs, SPAM_COOLDOWN_MS, type PinterestFailure } from '../../src/pinterest/errors';

const now = Date.parse('2026-01-15T12:00:00Z');

function answer(
  status: number,
  body: unknown,
  extra: { method?: string; headers?: Record<string, string>; oauth?: boolean } = {},
): PinterestFailure {
  return { kind: 'response', method: extra.method ?? 'GET', status, body, headers: extra.headers ?? {}, oauth: extra.oauth };
}

const meaningOf = (failure: PinterestFailure) => classifyPinterestFailure(failure, now);

describe('classifyPinterestFailure', () => {
  describe('404', () => {
    it('calls code 40 a missing board (PIN_BOARD_NOT_FOUND)', () => {
      assert.equal(meaningOf(answer(404, { code: 40, message: 'Board not found.' })).code, 'PIN_BOARD_NOT_FOUND');
    });

    it("recognises the spec's own board example, which says code 404", () => {
      assert.equal(meaningOf(answer(404, { code: 404, message: 'Board not found.' })).code, 'PIN_BOARD_NOT_FOUND');
    });

    it('calls code 2031 a missing section (PIN_SECTION_NOT_FOUND)', () => {
      assert.equal(
        meaningOf(answer(404, { code: 2031, message: "Sorry! We couldn't find this board section." })).code,
        'PIN_SECTION_NOT_FOUND',
      );
    });

    it('calls any other 404 PINTEREST_NOT_FOUND, final', () => {
      const meaning = meaningOf(answer(404, { code: 50, message: 'Pin not found.' }));
      assert.equal(meaning.code, 'PINTEREST_NOT_FOUND');
      assert.equal(meaning.retryable, false);
      assert.equal(meaning.pinterestCode, 50);
      assert.equal(meaning.pinterestMessage, 'Pin not found.');
    });
  });

  describe('429', () => {
    it('is PIN_RATE_LIMITED and retryable, waiting what X-RateLimit-Reset says', () => {
      const meaning = meaningOf(
        answer(429, { code: 8, message: 'This request exceeded a rate limit.' }, { headers: { 'x-ratelimit-reset': '42' } }),
      );
      assert.equal(meaning.code, 'PIN_RATE_LIMITED');
      assert.equal(meaning.retryable, true);
      assert.equal(meaning.retryAfterMs, 42_000);
    });

    it('prefers Retry-After to X-RateLimit-Reset', () => {
      const meaning = meaningOf(answer(429, { code: 8, message: 'limit' }, { headers: { 'retry-after': '3', 'x-ratelimit-reset': '42' } }));
      assert.equal(meaning.retryAfterMs, 3000);
    });

    it('leaves the wait unknown when Pinterest names none', () => {
      assert.equal(meaningOf(answer(429, { code: 8, message: 'limit' })).retryAfterMs, undefined);
    });

    it('is PINTEREST_SPAM_BLOCKED with a cool-down of hours when the message mentions spam', () => {
      const meaning = meaningOf(
        answer(429, { code: 8, message: "Sorry! You've hit a block (Pins) we have in place to combat spam. Please try again later." }),
      );
      assert.equal(meaning.code, 'PINTEREST_SPAM_BLOCKED');
      assert.equal(meaning.retryable, false);
      assert.equal(meaning.cooldownMs, SPAM_COOLDOWN_MS);
      assert.ok(SPAM_COOLDOWN_MS >= 3_600_000);
    });

    it('finds spam in message_detail too, as the official quickstart does', () => {
      assert.equal(meaningOf(answer(429, { code: 8, message: 'Blocked', message_detail: 'spam block' })).code, 'PINTEREST_SPAM_BLOCKED');
    });
  });

  describe('401 and 403', () => {
    it('tells an invalid token (code 2) from a token without the scope (code 3)', () => {
      assert.equal(meaningOf(answer(401, { code: 2, message: 'Authentication failed.' })).code, 'PINTEREST_TOKEN_INVALID');
      assert.equal(
        meaningOf(answer(401, { code: 3, message: 'Your token does not have sufficient permissions' })).code,
        'PINTEREST_SCOPE_MISSING',
      );
    });

    it('maps 403 code 233 to PIN_IMAGE_TOO_SMALL, 235 to MEDIA_UNREADABLE, anything else to PINTEREST_FORBIDDEN', () => {
      assert.equal(meaningOf(answer(403, { code: 233, message: 'Your image is too small.' })).code, 'PIN_IMAGE_TOO_SMALL');
      assert.equal(meaningOf(answer(403, { code: 235, message: 'Sorry, this image is broken.' })).code, 'MEDIA_UNREADABLE');
      assert.equal(
        meaningOf(answer(403, { code: 29, message: 'Apps with Trial access may not create Pins in production' })).code,
        'PINTEREST_FORBIDDEN',
      );
    });
  });

  describe('400', () => {
    it('maps code 1 about an invalid URL to PIN_LINK_INVALID', () => {
      const meaning = meaningOf(
        answer(400, { code: 1, message: 'Whoops! It looks like you entered an invalid URL. Try creating a Pin again with a valid URL.' }),
      );
      assert.equal(meaning.code, 'PIN_LINK_INVALID');
      assert.equal(meaning.retryable, false);
    });

    it('treats "could not fetch the image" as Pinterest trouble that passes (retryable PINTEREST_UNAVAILABLE)', () => {
      const meaning = meaningOf(answer(400, { code: 1, message: 'Sorry we could not fetch the image.' }, { method: 'POST' }));
      assert.equal(meaning.code, 'PINTEREST_UNAVAILABLE');
      assert.equal(meaning.retryable, true);
      assert.equal(meaning.outcomeUnknown, false);
    });

    it('calls any other 400 PINTEREST_REJECTED, final', () => {
      const meaning = meaningOf(answer(400, { code: 1, message: "Invalid request body: board_id: does not match '^\\d+$'" }));
      assert.deepEqual([meaning.code, meaning.retryable], ['PINTEREST_REJECTED', false]);
    });
  });

  describe('server errors and no answer', () => {
    it('retries a 5xx; a create that got one may have happened', () => {
      const read = meaningOf(answer(503, { code: 503, message: 'Something went wrong' }));
      assert.deepEqual([read.code, read.retryable, read.outcomeUnknown], ['PINTEREST_UNAVAILABLE', true, false]);
      const create = meaningOf(answer(502, undefined, { method: 'POST' }));
      assert.deepEqual([create.code, create.retryable, create.outcomeUnknown], ['PINTEREST_UNAVAILABLE', true, true]);
    });

    it('marks a POST that timed out or lost its connection as outcome unknown, a GET not', () => {
      assert.equal(meaningOf({ kind: 'network', method: 'POST', timedOut: true, connected: true }).outcomeUnknown, true);
      assert.equal(meaningOf({ kind: 'network', method: 'POST', timedOut: false, connected: true }).outcomeUnknown, true);
      assert.equal(meaningOf({ kind: 'network', method: 'GET', timedOut: true, connected: true }).outcomeUnknown, false);
    });

    it('knows a refused connection cannot have created anything', () => {
      const meaning = meaningOf({ kind: 'network', method: 'POST', timedOut: false, connected: false });
      assert.deepEqual([meaning.code, meaning.retryable, meaning.outcomeUnknown], ['PINTEREST_UNAVAILABLE', true, false]);
    });

    it('treats a success with a body Pinterest never promised as unavailable, and unknown for a create', () => {
      const meaning = meaningOf({ kind: 'malformed', method: 'POST', status: 201 });
      assert.deepEqual([meaning.code, meaning.retryable, meaning.outcomeUnknown], ['PINTEREST_UNAVAILABLE', true, true]);
    });
  });

  describe('the token endpoint', () => {
    it('calls its 4xx a failed exchange (OAUTH_EXCHANGE_FAILED), not a user token problem', () => {
      assert.equal(
        meaningOf(answer(400, { code: 1, message: 'Invalid authorization code.' }, { method: 'POST', oauth: true })).code,
        'OAUTH_EXCHANGE_FAILED',
      );
      assert.equal(
        meaningOf(answer(401, { code: 2, message: 'Authentication failed.' }, { method: 'POST', oauth: true })).code,
        'OAUTH_EXCHANGE_FAILED',
      );
    });

    it('still retries its 429 and 5xx', () => {
      assert.equal(meaningOf(answer(429, { code: 8, message: 'limit' }, { method: 'POST', oauth: true })).code, 'PIN_RATE_LIMITED');
      assert.equal(meaningOf(answer(500, undefined, { method: 'POST', oauth: true })).retryable, true);
    });
  });
});

describe('retryAfterMs', () => {
  it('reads Retry-After as an HTTP date', () => {
    assert.equal(retryAfterMs({ 'retry-after': new Date(now + 5000).toUTCString() }, now), 5000);
  });

  it('reads an X-RateLimit-Reset that can only be an epoch time as one', () => {
    assert.equal(retryAfterMs({ 'x-ratelimit-reset': String(now / 1000 + 30) }, now), 30_000);
  });

  it('ignores values that are not numbers or dates', () => {
    assert.equal(retryAfterMs({ 'retry-after': 'soon', 'x-ratelimit-reset': 'later' }, now), undefined);
  });
});
