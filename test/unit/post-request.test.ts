import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Problem } from '../../src/domain/errors';
import {
  canonicalPostRequestSchema,
  canonicalPostUpdateSchema,
  flatPostRequestSchema,
  nestedPostRequestSchema,
  normalizePostRequest,
  normalizePostUpdate,
  postRequestSchema,
  type CanonicalPostRequest,
  type CanonicalPostUpdate,
  type FlatPostRequest,
  type NestedPostRequest,
} from '../../src/domain/post';

const now = new Date('2026-01-15T12:00:00.000Z');
const in30s = new Date(now.getTime() + 30_000).toISOString();

// The guide's three examples, as written (with `Date.now()` pinned to `now`).
const quickStart = {
  content: '20 minimalist home office setups for 2026',
  scheduledFor: new Date(now.getTime() + 30_000).toISOString(),
  mediaItems: [{ type: 'IMAGE', url: 'https://cdn.example.com/office.jpg' }],
  platforms: [
    {
      accountId: 'soc_pinterest_…',
      platformOptions: {
        platform: 'PINTEREST',
        board: 'pinterest_board_id_…',
        title: '20 minimalist home office setups',
        link: 'https://example.com/blog/home-office-setups',
      },
    },
  ],
} satisfies FlatPostRequest;

const carousel = {
  content: 'Bathroom renovation — before & after',
  scheduledFor: new Date(now.getTime() + 30_000).toISOString(),
  mediaIds: ['med_before_1', 'med_after_1', 'med_before_2', 'med_after_2'],
  platforms: [
    {
      accountId: 'soc_pinterest_…',
      platformOptions: {
        platform: 'PINTEREST',
        board: 'pinterest_board_id_…',
        title: 'Bathroom before & after',
        link: 'https://example.com/case-study/bath',
      },
    },
  ],
} satisfies FlatPostRequest;

const nested = {
  caption: '20 minimalist home office setups for 2026',
  scheduledAt: new Date(now.getTime() + 30_000).toISOString(),
  mediaIds: ['med_image_…'],
  targets: [
    {
      socialAccountId: 'soc_pinterest_…',
      platformOptions: {
        platform: 'PINTEREST',
        board: 'pinterest_board_id_…',
        title: '20 minimalist home office setups',
        link: 'https://example.com/blog/home-office-setups',
      },
    },
  ],
} satisfies NestedPostRequest;

type Body = Record<string, unknown>;

/** The guide's quick start with a stored image, so that flat and nested bodies say the same thing. */
function flat(overrides: Body = {}): Body {
  const { mediaItems: _inline, ...rest } = structuredClone(quickStart);
  return { ...rest, mediaIds: ['med_image_…'], ...overrides };
}

function nestedBody(overrides: Body = {}): Body {
  return { ...structuredClone(nested), ...overrides };
}

function options(overrides: Body = {}): Body {
  return { platform: 'PINTEREST', board: 'board_1', ...overrides };
}

function postOf(body: unknown): CanonicalPostRequest {
  const result = normalizePostRequest(body, { now });
  assert.ok(result.ok, `expected a post, got ${JSON.stringify(result)}`);
  return result.post;
}

function problemsOf(body: unknown): Problem[] {
  const result = normalizePostRequest(body, { now });
  assert.ok(!result.ok, `expected problems, got ${JSON.stringify(result)}`);
  return result.problems;
}

/** The one problem with this code; fails if there is none or several. */
function theProblem(problems: Problem[], code: Problem['code']): Problem {
  const found = problems.filter((p) => p.code === code);
  assert.equal(found.length, 1, `expected one ${code} in ${JSON.stringify(problems, null, 1)}`);
  return found[0]!;
}

function codes(problems: Problem[]): string[] {
  return problems.map((p) => p.code).sort();
}

describe('the guide examples', () => {
  it('accepts the quick start (flat shape, inline image) and makes it a canonical post', () => {
    assert.deepEqual(postOf(quickStart), {
      description: '20 minimalist home office setups for 2026',
      scheduledAt: in30s,
      media: { items: [{ type: 'IMAGE', url: 'https://cdn.example.com/office.jpg' }] },
      targets: [
        {
          accountId: 'soc_pinterest_…',
          board: 'pinterest_board_id_…',
          title: '20 minimalist home office setups',
          link: 'https://example.com/blog/home-office-setups',
        },
      ],
      optimize: true,
    });
  });

  it('accepts the carousel example (flat shape, four mediaIds)', () => {
    const post = postOf(carousel);
    assert.deepEqual(post.media, { ids: ['med_before_1', 'med_after_1', 'med_before_2', 'med_after_2'] });
    assert.equal(post.description, 'Bathroom renovation — before & after');
    assert.equal(post.targets[0]?.title, 'Bathroom before & after');
  });

  it('accepts the nested example and makes the same post as the flat quick start with the same image', () => {
    assert.deepEqual(postOf(nested), postOf(flat()));
  });

  it('validates all three examples against the exported request schemas', () => {
    assert.ok(flatPostRequestSchema.safeParse(quickStart).success);
    assert.ok(flatPostRequestSchema.safeParse(carousel).success);
    assert.ok(nestedPostRequestSchema.safeParse(nested).success);
    for (const body of [quickStart, carousel, nested]) assert.ok(postRequestSchema.safeParse(body).success);
  });

  it('produces canonical posts that satisfy the canonical schema', () => {
    for (const body of [quickStart, carousel, nested]) assert.ok(canonicalPostRequestSchema.safeParse(postOf(body)).success);
  });
});

describe('one canonical post from both shapes', () => {
  it('keeps the optional fields: timezone, fit, optimize, altText and boardSection', () => {
    const extra = { timezone: 'Europe/Paris', fit: 'crop', optimize: false };
    const pin = options({ title: 'T', link: 'http://example.com/a', altText: 'A desk by a window', boardSection: 'sec_1' });
    const fromFlat = postOf(flat({ ...extra, platforms: [{ accountId: 'soc_1', platformOptions: pin }] }));
    const fromNested = postOf(nestedBody({ ...extra, targets: [{ socialAccountId: 'soc_1', platformOptions: pin }] }));
    assert.deepEqual(fromFlat, fromNested);
    assert.deepEqual(fromFlat.targets, [
      {
        accountId: 'soc_1',
        board: 'board_1',
        title: 'T',
        link: 'http://example.com/a',
        altText: 'A desk by a window',
        boardSection: 'sec_1',
      },
    ]);
    assert.equal(fromFlat.timezone, 'Europe/Paris');
    assert.equal(fromFlat.fit, 'crop');
    assert.equal(fromFlat.optimize, false);
  });

  it('defaults optimize to true and the description to empty', () => {
    const { content: _content, ...body } = flat();
    const post = postOf(body);
    assert.equal(post.optimize, true);
    assert.equal(post.description, '');
  });

  it('means now when the time is omitted', () => {
    const { scheduledFor: _time, ...body } = flat();
    assert.equal(postOf(body).scheduledAt, now.toISOString());
  });

  it('stores a wall time with a timezone as the UTC instant', () => {
    assert.equal(
      postOf(flat({ scheduledFor: '2026-07-01T09:30:00', timezone: 'America/New_York' })).scheduledAt,
      '2026-07-01T13:30:00.000Z',
    );
    assert.equal(
      postOf(nestedBody({ scheduledAt: '2026-07-01T09:30:00', timezone: 'Europe/Paris' })).scheduledAt,
      '2026-07-01T07:30:00.000Z',
    );
  });

  it('trims the board id', () => {
    assert.equal(
      postOf(flat({ platforms: [{ accountId: 'soc_1', platformOptions: options({ board: '  board_9 ' }) }] })).targets[0]?.board,
      'board_9',
    );
  });

  it('makes deep-equal canonical posts from any request written in both shapes (property)', () => {
    fc.assert(
      fc.property(validRequest, (request) => {
        const fromFlat = normalizePostRequest(request.flat, { now });
        const fromNested = normalizePostRequest(request.nested, { now });
        assert.ok(fromFlat.ok, JSON.stringify(fromFlat));
        assert.deepEqual(fromNested, fromFlat);
        assert.ok(canonicalPostRequestSchema.safeParse(fromFlat.post).success);
        assert.equal(fromFlat.post.targets.length, request.flat.platforms.length);
      }),
    );
  });

  it("reports the same problems for both shapes, at paths in each shape's own names (property)", () => {
    fc.assert(
      fc.property(anyRequest, (request) => {
        const fromFlat = normalizePostRequest(request.flat, { now });
        const fromNested = normalizePostRequest(request.nested, { now });
        assert.equal(fromNested.ok, fromFlat.ok);
        if (fromFlat.ok || fromNested.ok) return;
        const inNestedNames = fromFlat.problems.map((p) => ({ code: p.code, path: p.path && toNestedPath(p.path), target: p.target }));
        const nestedSeen = fromNested.problems.map((p) => ({ code: p.code, path: p.path, target: p.target }));
        assert.deepEqual(sortProblems(nestedSeen), sortProblems(inNestedNames));
      }),
    );
  });
});

describe('problems and their codes', () => {
  it('rejects a target without a board with PIN_BOARD_REQUIRED at platforms[0].platformOptions.board', () => {
    const p = theProblem(
      problemsOf(flat({ platforms: [{ accountId: 'soc_1', platformOptions: { platform: 'PINTEREST' } }] })),
      'PIN_BOARD_REQUIRED',
    );
    assert.equal(p.path, 'platforms[0].platformOptions.board');
    assert.equal(p.target, 0);
  });

  it('rejects a nested target without a board with PIN_BOARD_REQUIRED at targets[0].platformOptions.board', () => {
    const body = nestedBody({ targets: [{ socialAccountId: 'soc_1', platformOptions: { platform: 'PINTEREST' } }] });
    const p = theProblem(problemsOf(body), 'PIN_BOARD_REQUIRED');
    assert.equal(p.path, 'targets[0].platformOptions.board');
    assert.equal(p.target, 0);
  });

  it('rejects an empty or blank board with PIN_BOARD_REQUIRED', () => {
    for (const board of ['', '   ']) {
      const body = flat({ platforms: [{ accountId: 'soc_1', platformOptions: options({ board }) }] });
      assert.equal(theProblem(problemsOf(body), 'PIN_BOARD_REQUIRED').path, 'platforms[0].platformOptions.board');
    }
  });

  it('rejects a target without platformOptions with PIN_BOARD_REQUIRED (Pinterest always needs a board)', () => {
    const p = theProblem(problemsOf(flat({ platforms: [{ accountId: 'soc_1' }] })), 'PIN_BOARD_REQUIRED');
    assert.equal(p.path, 'platforms[0].platformOptions.board');
  });

  it('rejects a list of boards with PIN_MULTIPLE_BOARDS: one pin lands on one board', () => {
    const body = flat({ platforms: [{ accountId: 'soc_1', platformOptions: options({ board: ['board_1', 'board_2'] }) }] });
    const p = theProblem(problemsOf(body), 'PIN_MULTIPLE_BOARDS');
    assert.equal(p.path, 'platforms[0].platformOptions.board');
    assert.equal(p.target, 0);
  });

  it('rejects a "boards" field with PIN_MULTIPLE_BOARDS', () => {
    const body = flat({ platforms: [{ accountId: 'soc_1', platformOptions: options({ boards: ['board_1', 'board_2'] }) }] });
    assert.equal(theProblem(problemsOf(body), 'PIN_MULTIPLE_BOARDS').path, 'platforms[0].platformOptions.boards');
  });

  it('rejects firstComment with PIN_FIRST_COMMENT_UNSUPPORTED, whatever its value, as one problem', () => {
    for (const firstComment of ['Shop the look: https://example.com', 42]) {
      const problems = problemsOf(flat({ firstComment }));
      assert.deepEqual(
        problems.map((p) => [p.code, p.path]),
        [['PIN_FIRST_COMMENT_UNSUPPORTED', 'firstComment']],
      );
    }
  });

  it('rejects a platform other than PINTEREST, or none, with PIN_PLATFORM_UNSUPPORTED', () => {
    for (const platform of ['INSTAGRAM', undefined]) {
      const body = flat({ platforms: [{ accountId: 'soc_1', platformOptions: options({ platform }) }] });
      assert.equal(theProblem(problemsOf(body), 'PIN_PLATFORM_UNSUPPORTED').path, 'platforms[0].platformOptions.platform');
    }
  });

  it('accepts a 100-character title and rejects a 101-character one with PIN_TITLE_TOO_LONG', () => {
    postOf(flat({ platforms: [{ accountId: 'soc_1', platformOptions: options({ title: 'x'.repeat(100) }) }] }));
    const body = flat({ platforms: [{ accountId: 'soc_1', platformOptions: options({ title: 'x'.repeat(101) }) }] });
    const p = theProblem(problemsOf(body), 'PIN_TITLE_TOO_LONG');
    assert.equal(p.path, 'platforms[0].platformOptions.title');
    assert.equal(p.target, 0);
  });

  it('counts an emoji as one character of a title, as Pinterest does', () => {
    postOf(flat({ platforms: [{ accountId: 'soc_1', platformOptions: options({ title: '🏠'.repeat(100) }) }] }));
  });

  it('accepts a 500-character description and rejects 501 with PIN_DESCRIPTION_TOO_LONG at content or caption', () => {
    postOf(flat({ content: 'x'.repeat(500) }));
    assert.equal(theProblem(problemsOf(flat({ content: 'x'.repeat(501) })), 'PIN_DESCRIPTION_TOO_LONG').path, 'content');
    assert.equal(theProblem(problemsOf(nestedBody({ caption: 'x'.repeat(501) })), 'PIN_DESCRIPTION_TOO_LONG').path, 'caption');
  });

  it('accepts 500 characters of altText and rejects 501 with PIN_ALT_TEXT_TOO_LONG', () => {
    postOf(flat({ platforms: [{ accountId: 'soc_1', platformOptions: options({ altText: 'a'.repeat(500) }) }] }));
    const body = flat({ platforms: [{ accountId: 'soc_1', platformOptions: options({ altText: 'a'.repeat(501) }) }] });
    assert.equal(theProblem(problemsOf(body), 'PIN_ALT_TEXT_TOO_LONG').path, 'platforms[0].platformOptions.altText');
  });

  it('rejects a link that is not an http(s) URL with PIN_LINK_INVALID', () => {
    for (const link of ['javascript:alert(1)', 'ftp://example.com/file', 'example.com/no-scheme', 'not a url']) {
      const body = flat({ platforms: [{ accountId: 'soc_1', platformOptions: options({ link }) }] });
      assert.equal(theProblem(problemsOf(body), 'PIN_LINK_INVALID').path, 'platforms[0].platformOptions.link', link);
    }
  });

  it('rejects a post without media with PIN_MEDIA_REQUIRED', () => {
    const { mediaIds: _ids, ...body } = flat();
    assert.equal(theProblem(problemsOf(body), 'PIN_MEDIA_REQUIRED').path, 'mediaIds');
    assert.equal(theProblem(problemsOf(flat({ mediaIds: [] })), 'PIN_MEDIA_REQUIRED').path, 'mediaIds');
    assert.equal(theProblem(problemsOf(flat({ mediaIds: undefined, mediaItems: [] })), 'PIN_MEDIA_REQUIRED').path, 'mediaItems');
  });

  it('rejects a VIDEO media item with PIN_VIDEO_NOT_SUPPORTED at its type', () => {
    const mediaItems = [
      { type: 'IMAGE', url: 'https://cdn.example.com/a.jpg' },
      { type: 'VIDEO', url: 'https://cdn.example.com/b.mp4' },
    ];
    const p = theProblem(problemsOf(flat({ mediaIds: undefined, mediaItems })), 'PIN_VIDEO_NOT_SUPPORTED');
    assert.equal(p.path, 'mediaItems[1].type');
  });

  it('rejects more than five images with PIN_CAROUSEL_SIZE', () => {
    const mediaIds = ['med_1', 'med_2', 'med_3', 'med_4', 'med_5', 'med_6'];
    assert.equal(theProblem(problemsOf(flat({ mediaIds })), 'PIN_CAROUSEL_SIZE').path, 'mediaIds');
  });

  it('rejects an image URL that is not http(s) with MEDIA_FETCH_FAILED', () => {
    const body = flat({ mediaIds: undefined, mediaItems: [{ type: 'IMAGE', url: 'file:///etc/passwd' }] });
    assert.equal(theProblem(problemsOf(body), 'MEDIA_FETCH_FAILED').path, 'mediaItems[0].url');
  });

  it('rejects both mediaIds and mediaItems with VALIDATION_FAILED', () => {
    const body = flat({ mediaItems: [{ type: 'IMAGE', url: 'https://cdn.example.com/a.jpg' }] });
    assert.equal(theProblem(problemsOf(body), 'VALIDATION_FAILED').path, 'mediaItems');
  });

  it('rejects a post without targets with POST_TARGET_REQUIRED', () => {
    assert.equal(theProblem(problemsOf(flat({ platforms: [] })), 'POST_TARGET_REQUIRED').path, 'platforms');
    const { targets: _targets, ...noTargets } = nestedBody();
    assert.equal(theProblem(problemsOf(noTargets), 'POST_TARGET_REQUIRED').path, 'targets');
  });

  it('rejects a time without offset or timezone with POST_TIME_INVALID at scheduledFor', () => {
    const p = theProblem(problemsOf(flat({ scheduledFor: '2026-02-01T10:00:00' })), 'POST_TIME_INVALID');
    assert.equal(p.path, 'scheduledFor');
  });

  it('rejects a time that is not a string with POST_TIME_INVALID', () => {
    assert.equal(theProblem(problemsOf(nestedBody({ scheduledAt: 1769940000000 })), 'POST_TIME_INVALID').path, 'scheduledAt');
  });

  it('rejects a time in the spring-forward gap with POST_TIME_INVALID (America/New_York)', () => {
    const p = theProblem(problemsOf(flat({ scheduledFor: '2026-03-08T02:30:00', timezone: 'America/New_York' })), 'POST_TIME_INVALID');
    assert.match(p.message, /does not exist in America\/New_York/);
  });

  it('rejects a time more than a minute in the past with POST_TIME_IN_PAST', () => {
    postOf(flat({ scheduledFor: '2026-01-15T11:59:00Z' }));
    assert.equal(theProblem(problemsOf(nestedBody({ scheduledAt: '2026-01-15T11:58:59Z' })), 'POST_TIME_IN_PAST').path, 'scheduledAt');
  });

  it('rejects an unknown timezone with POST_TIMEZONE_INVALID', () => {
    assert.equal(theProblem(problemsOf(flat({ timezone: 'Europe/Atlantis' })), 'POST_TIMEZONE_INVALID').path, 'timezone');
    assert.equal(theProblem(problemsOf(flat({ timezone: -5 })), 'POST_TIMEZONE_INVALID').path, 'timezone');
  });

  it('rejects an unknown top-level field with VALIDATION_FAILED at its path', () => {
    const p = theProblem(problemsOf(flat({ workspaceId: 'ws_1' })), 'VALIDATION_FAILED');
    assert.equal(p.path, 'workspaceId');
  });

  it('rejects an unknown field inside a target with VALIDATION_FAILED and the target index', () => {
    const body = flat({
      platforms: [
        { accountId: 'soc_1', platformOptions: options() },
        { accountId: 'soc_2', platformOptions: options({ tags: ['x'] }) },
      ],
    });
    const p = theProblem(problemsOf(body), 'VALIDATION_FAILED');
    assert.equal(p.path, 'platforms[1].platformOptions.tags');
    assert.equal(p.target, 1);
  });

  it('rejects content mixed with targets with VALIDATION_FAILED naming both fields', () => {
    const { caption: _caption, ...body } = nestedBody();
    const p = theProblem(problemsOf({ ...body, content: 'Hello' }), 'VALIDATION_FAILED');
    assert.equal(p.path, 'content');
    assert.match(p.message, /content/);
    assert.match(p.message, /targets/);
    assert.match(p.message, /caption/);
  });

  it('rejects scheduledAt in a flat body with VALIDATION_FAILED naming both fields', () => {
    const { scheduledFor: _time, ...body } = flat();
    const p = theProblem(problemsOf({ ...body, scheduledAt: in30s }), 'VALIDATION_FAILED');
    assert.equal(p.path, 'scheduledAt');
    assert.match(p.message, /platforms/);
    assert.match(p.message, /scheduledFor/);
  });

  it('rejects accountId inside nested targets with VALIDATION_FAILED pointing to socialAccountId', () => {
    const body = nestedBody({ targets: [{ accountId: 'soc_1', platformOptions: options() }] });
    const mixed = problemsOf(body).find((p) => p.path === 'targets[0].accountId');
    assert.equal(mixed?.code, 'VALIDATION_FAILED');
    assert.match(mixed?.message ?? '', /socialAccountId/);
    assert.equal(mixed?.target, 0);
  });

  it('rejects a body that is not an object with VALIDATION_FAILED', () => {
    for (const body of [null, [], 'post', 42]) assert.deepEqual(codes(problemsOf(body)), ['VALIDATION_FAILED']);
  });

  it('reports every problem at once, each with its code, path and target', () => {
    const body = {
      content: 'x'.repeat(501),
      scheduledFor: '2026-01-01T10:00:00Z',
      timezone: 'America/New_York',
      firstComment: 'Link in bio',
      mediaItems: [{ type: 'VIDEO', url: 'https://cdn.example.com/clip.mp4' }],
      platforms: [
        { accountId: 'soc_1', platformOptions: { platform: 'PINTEREST', title: 'x'.repeat(101) } },
        { accountId: 'soc_2', platformOptions: options({ board: ['a', 'b'], link: 'mailto:me@example.com', altText: 'a'.repeat(501) }) },
      ],
      hashtags: ['#home'],
    };
    const problems = problemsOf(body);
    assert.deepEqual(
      problems.map((p) => [p.code, p.path, p.target]).sort(),
      [
        ['PIN_ALT_TEXT_TOO_LONG', 'platforms[1].platformOptions.altText', 1],
        ['PIN_BOARD_REQUIRED', 'platforms[0].platformOptions.board', 0],
        ['PIN_DESCRIPTION_TOO_LONG', 'content', undefined],
        ['PIN_FIRST_COMMENT_UNSUPPORTED', 'firstComment', undefined],
        ['PIN_LINK_INVALID', 'platforms[1].platformOptions.link', 1],
        ['PIN_MULTIPLE_BOARDS', 'platforms[1].platformOptions.board', 1],
        ['PIN_TITLE_TOO_LONG', 'platforms[0].platformOptions.title', 0],
        ['PIN_VIDEO_NOT_SUPPORTED', 'mediaItems[0].type', undefined],
        ['POST_TIME_IN_PAST', 'scheduledFor', undefined],
        ['VALIDATION_FAILED', 'hashtags', undefined],
      ].sort(),
    );
    for (const p of problems) assert.ok(p.message.length > 0);
  });
});

describe('PATCH edits (normalizePostUpdate)', () => {
  function updateOf(body: unknown): CanonicalPostUpdate {
    const result = normalizePostUpdate(body, { now });
    assert.ok(result.ok, `expected an update, got ${JSON.stringify(result)}`);
    assert.ok(canonicalPostUpdateSchema.safeParse(result.update).success);
    return result.update;
  }

  function updateProblemsOf(body: unknown): Problem[] {
    const result = normalizePostUpdate(body, { now });
    assert.ok(!result.ok, `expected problems, got ${JSON.stringify(result)}`);
    return result.problems;
  }

  it('applies top-level pin fields to every target and per-target edits on top, null clearing a field', () => {
    assert.deepEqual(
      updateOf({
        scheduledFor: '2026-02-01T09:00:00',
        timezone: 'Europe/Paris',
        caption: 'New description',
        mediaIds: ['med_2'],
        title: 'New title',
        link: null,
        targets: [{ targetId: 'tgt_1', board: 'board_2', title: 'Title for this board' }],
      }),
      {
        scheduledAt: '2026-02-01T08:00:00.000Z',
        timezone: 'Europe/Paris',
        description: 'New description',
        mediaIds: ['med_2'],
        allTargets: { title: 'New title', link: null },
        targets: [{ targetId: 'tgt_1', board: 'board_2', title: 'Title for this board' }],
      },
    );
  });

  it('leaves the time alone when none is given', () => {
    assert.deepEqual(updateOf({ content: 'Only the text' }), { description: 'Only the text', allTargets: {}, targets: [] });
  });

  it('rejects an empty edit with VALIDATION_FAILED', () => {
    assert.deepEqual(codes(updateProblemsOf({})), ['VALIDATION_FAILED']);
  });

  it('rejects scheduledAt with scheduledFor, and content with caption, with VALIDATION_FAILED', () => {
    const problems = updateProblemsOf({ scheduledAt: in30s, scheduledFor: in30s, content: 'a', caption: 'b' });
    assert.deepEqual(
      problems.map((p) => [p.code, p.path]),
      [
        ['VALIDATION_FAILED', 'scheduledFor'],
        ['VALIDATION_FAILED', 'caption'],
      ],
    );
  });

  it('rejects a timezone without a time with VALIDATION_FAILED: it would change nothing', () => {
    assert.equal(theProblem(updateProblemsOf({ timezone: 'Europe/Paris' }), 'VALIDATION_FAILED').path, 'timezone');
  });

  it('rejects a past time with POST_TIME_IN_PAST', () => {
    assert.equal(theProblem(updateProblemsOf({ scheduledAt: '2026-01-01T00:00:00Z' }), 'POST_TIME_IN_PAST').path, 'scheduledAt');
  });

  it('maps the pin rules to their codes, at the edit paths', () => {
    const problems = updateProblemsOf({
      title: 't'.repeat(101),
      targets: [{ targetId: 'tgt_1', link: 'ftp://example.com', board: null }],
      firstComment: 'hi',
    });
    assert.deepEqual(problems.map((p) => [p.code, p.path]).sort(), [
      ['PIN_BOARD_REQUIRED', 'targets[0].board'],
      ['PIN_FIRST_COMMENT_UNSUPPORTED', 'firstComment'],
      ['PIN_LINK_INVALID', 'targets[0].link'],
      ['PIN_TITLE_TOO_LONG', 'title'],
    ]);
  });

  it('rejects two edits of the same target with VALIDATION_FAILED', () => {
    const problems = updateProblemsOf({
      targets: [
        { targetId: 'tgt_1', title: 'a' },
        { targetId: 'tgt_1', link: 'https://example.com' },
      ],
    });
    assert.equal(theProblem(problems, 'VALIDATION_FAILED').path, 'targets[1].targetId');
  });
});

// ---------------------------------------------------------------------------------------------------
// Arbitraries: one request in neutral words, written in both shapes.

interface Neutral {
  description?: string;
  time?: string;
  timezone?: string;
  media: { ids: string[] } | { items: { type: string; url: string }[] };
  targets: { accountId: string; options: Body }[];
  fit?: string;
  optimize?: boolean;
  firstComment?: string;
}

function both(request: Neutral): { flat: FlatPostRequest; nested: NestedPostRequest } {
  const common = definedOnly({
    timezone: request.timezone,
    fit: request.fit,
    optimize: request.optimize,
    firstComment: request.firstComment,
    ...('ids' in request.media ? { mediaIds: request.media.ids } : { mediaItems: request.media.items }),
  });
  // The bodies may be invalid on purpose (the second property); the casts only let them be typed as requests.
  const flatBody = {
    ...common,
    ...definedOnly({ content: request.description, scheduledFor: request.time }),
    platforms: request.targets.map((t) => ({ accountId: t.accountId, platformOptions: t.options })),
  } as FlatPostRequest;
  const nestedShape = {
    ...common,
    ...definedOnly({ caption: request.description, scheduledAt: request.time }),
    targets: request.targets.map((t) => ({ socialAccountId: t.accountId, platformOptions: t.options })),
  } as NestedPostRequest;
  return { flat: flatBody, nested: nestedShape };
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const id = fc.stringMatching(/^[a-z0-9_]{1,24}$/);
const url = fc.webUrl({ validSchemes: ['http', 'https'] });
const futureTime = fc.integer({ min: 0, max: 300 * 24 * 60 * 60 * 1000 }).map((ms) => new Date(now.getTime() + ms).toISOString());

const validOptions = fc
  .record({
    board: id,
    title: optional(fc.string({ maxLength: 100 })),
    link: optional(url),
    altText: optional(fc.string({ maxLength: 500 })),
    boardSection: optional(id),
  })
  .map((o) => definedOnly({ platform: 'PINTEREST', ...o }));

const validRequest = fc
  .record({
    description: optional(fc.string({ maxLength: 500 })),
    time: optional(futureTime),
    timezone: optional(fc.constantFrom('America/New_York', 'Europe/Paris', 'UTC')),
    media: fc.oneof(
      fc.record({ ids: fc.array(id, { minLength: 1, maxLength: 5 }) }),
      fc.record({ items: fc.array(fc.record({ type: fc.constant('IMAGE'), url }), { minLength: 1, maxLength: 5 }) }),
    ),
    targets: fc.array(fc.record({ accountId: id, options: validOptions }), { minLength: 1, maxLength: 4 }),
    fit: optional(fc.constantFrom('pad', 'crop')),
    optimize: optional(fc.boolean()),
  })
  .map((r) => both(definedOnly(r)));

const anyOptions = fc
  .record({
    platform: optional(fc.constantFrom('PINTEREST', 'TIKTOK')),
    board: optional(fc.oneof(id, fc.constant(''), fc.array(id, { minLength: 2, maxLength: 2 }))),
    title: optional(fc.string({ maxLength: 110 })),
    link: optional(fc.constantFrom('https://example.com/a', 'ftp://example.com', 'nope')),
  })
  .map((o) => definedOnly(o));

const anyRequest = fc
  .record({
    description: optional(fc.string({ maxLength: 510 })),
    time: optional(fc.constantFrom(in30s, '2026-01-01T00:00:00Z', '2026-03-08T02:30:00', 'soon')),
    timezone: optional(fc.constantFrom('America/New_York', 'Mars/Base')),
    media: fc.oneof(
      fc.record({ ids: fc.array(id, { maxLength: 7 }) }),
      fc.record({ items: fc.array(fc.record({ type: fc.constantFrom('IMAGE', 'VIDEO'), url }), { maxLength: 3 }) }),
    ),
    targets: fc.array(fc.record({ accountId: id, options: anyOptions }), { maxLength: 3 }),
    firstComment: optional(fc.constant('hi')),
  })
  .map((r) => both(definedOnly(r)));

const flatToNested: Record<string, string> = { content: 'caption', scheduledFor: 'scheduledAt', platforms: 'targets' };

function toNestedPath(path: string): string {
  const [head = '', ...rest] = path.split(/(?=[.[])/);
  const first = flatToNested[head] ?? head;
  return [first, ...rest].join('').replace(/^(targets\[\d+\])\.accountId/, '$1.socialAccountId');
}

function sortProblems<T extends { code: string; path?: string | undefined }>(problems: T[]): T[] {
  return [...problems].sort((a, b) => `${a.code} ${a.path}`.localeCompare(`${b.code} ${b.path}`));
}
