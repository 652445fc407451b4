// fast-check generators of what callers send pinflow: posts of both shapes (valid, then mutated: wrong types,
// missing and extra fields, huge strings, unicode, nested garbage, bad times, bad ids, mixed shapes) and media
// bodies (random bytes as multipart, JSON `{ url }` variants). Every URL points at loopback or at an address
// pinflow must refuse, so a fuzz run sends nothing off this machine.
import fc from 'fast-check';

/** What a valid post may refer to: the workspace's account, boards, media and loopback URLs. */
export interface FuzzWorld {
  accountId: string;
  boards: readonly string[];
  /** Stored media by aspect, for single pins and carousels. */
  media: { portrait: readonly string[]; square: readonly string[] };
  /** A JPEG the loopback image server serves (1000 × 1500). */
  imageUrl: string;
  /** Links that answer 200 or 301 on loopback. */
  links: readonly string[];
  /** Another workspace's account and media: a post naming them must never be accepted. */
  foreign: { accountId: string; mediaId: string };
  /** `host:port` of the loopback image server. */
  imageHost: string;
}

export type Shape = 'flat' | 'nested';
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

// ── Strings ────────────────────────────────────────────────────────────────────────────────────────

const codePoints = (s: string): number => [...s].length;

/** Unicode text of at most `max` code points (graphemes may be several). */
export const text = (max: number): fc.Arbitrary<string> =>
  fc.string({ unit: 'grapheme', maxLength: Math.max(1, Math.floor(max / 4)) }).filter((s) => codePoints(s) <= max);

/** 10 k – 300 k characters of one (possibly astral) character, or of a short pattern. */
const hugeString = fc
  .record({
    piece: fc.oneof(fc.constantFrom('a', 'é', '😀', '\u0000', '"', '\\', '\u202e', '<script>'), fc.string({ maxLength: 4, minLength: 1 })),
    n: fc.integer({ min: 10_000, max: 300_000 }),
  })
  .map(({ piece, n }) => piece.repeat(Math.max(1, Math.floor(n / piece.length))));

/** Arrays or objects nested 100 – 2,000 deep. */
const deepNesting = fc
  .record({ depth: fc.integer({ min: 100, max: 2_000 }), kind: fc.constantFrom('array', 'object') })
  .map(({ depth, kind }) => {
    let value: Json = 1;
    for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
    return value;
  });

/** A value of the wrong kind for any field. */
export const garbage: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'null',
    'undefined',
    'NaN',
    '[object Object]',
    '__proto__',
    '{{7*7}}',
    '${7*7}',
    "'; DROP TABLE posts; --",
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  hugeString,
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
  deepNesting,
  fc.array(fc.string(), { maxLength: 10 }),
  fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 1 }) as fc.Arbitrary<Json>, { maxKeys: 5 }),
);

export const badTime: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(
    '',
    'now',
    'tomorrow',
    '2026-13-01T00:00:00Z',
    '2026-02-30T10:00:00Z',
    '2026-03-01T25:00:00Z',
    '2026-03-01T10:00:00+25:00',
    '2026-03-01T10:00:00',
    '2026-03-01',
    '2020-01-01T00:00:00Z',
    '1970-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '+275760-09-13T00:00:00.000Z',
    '-000001-01-01T00:00:00Z',
    '2026-03-01T10:00:00.1234567890Z',
    '2026-03-08T02:30:00',
    'Sun, 01 Mar 2026 10:00:00 GMT',
    '1767225600',
  ),
  fc.integer().map((n) => n as Json),
  fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? 'Invalid Date' : d.toISOString())),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

export const badTimezone: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom('', 'UTC+5', 'Mars/Olympus', 'America/New York', 'EST5EDT,M3.2.0,M11.1.0', '../../etc/localtime', '\u0000'),
  fc.string({ maxLength: 30 }),
  garbage,
);

export function badId(world: FuzzWorld): fc.Arbitrary<Json> {
  return fc.oneof(
    fc.constantFrom(
      '',
      ' ',
      'soc_',
      'med_',
      'post_',
      '../../etc/passwd',
      '..%2f..%2fetc%2fpasswd',
      '%2e%2e%2f',
      '/etc/passwd',
      'C:\\Windows\\win.ini',
      "' OR '1'='1",
      '1; SELECT pg_sleep(10)',
      '\u0000',
      'soc_\u0000',
      '1200000000000000009',
      '-1',
      '1e309',
      '0x10',
      world.foreign.accountId,
      world.foreign.mediaId,
    ),
    fc.integer({ min: 1, max: 5_000 }).map((n) => `soc_${'a'.repeat(n)}`),
    fc.string({ unit: 'binary', maxLength: 40 }),
    garbage,
  );
}

// ── Valid posts ────────────────────────────────────────────────────────────────────────────────────

const offsets = fc.integer({ min: -48, max: 56 }).map((quarters) => quarters * 15);

/** An instant 5 minutes to 300 days ahead, written with an explicit offset (sometimes with a fraction). */
const futureTime = fc
  .record({ aheadMs: fc.integer({ min: 5 * 60_000, max: 300 * 86_400_000 }), offset: offsets, fraction: fc.boolean() })
  .map(({ aheadMs, offset, fraction }) => {
    const at = new Date(Date.now() + aheadMs);
    const wall = new Date(at.getTime() + offset * 60_000).toISOString().slice(0, fraction ? 23 : 19);
    const sign = offset < 0 ? '-' : '+';
    const abs = Math.abs(offset);
    return `${wall}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  });

export interface ValidPost {
  description?: string;
  time?: string;
  timezone?: string;
  targets: Array<{ board: string; title?: string; link?: string; altText?: string }>;
  media: { ids: string[] } | { urls: string[] };
  fit?: 'pad' | 'crop';
  optimize?: boolean;
}

function validPost(world: FuzzWorld): fc.Arbitrary<ValidPost> {
  const target = (board: string) =>
    fc.record(
      { board: fc.constant(board), title: text(100), link: fc.constantFrom(...world.links), altText: text(500) },
      { requiredKeys: ['board'] },
    );
  const media: fc.Arbitrary<ValidPost['media']> = fc.oneof(
    fc.constantFrom(...world.media.portrait, ...world.media.square).map((id) => ({ ids: [id] })),
    fc
      .uniqueArray(fc.constantFrom(...world.media.portrait), { minLength: 2, maxLength: world.media.portrait.length })
      .map((ids) => ({ ids })),
    fc.constant(world.imageUrl).map((url) => ({ urls: [url] })),
  );
  return fc.record(
    {
      description: text(500),
      time: futureTime,
      timezone: fc.constantFrom('UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham', 'Australia/Lord_Howe'),
      targets: fc
        .uniqueArray(fc.constantFrom(...world.boards), { minLength: 1, maxLength: world.boards.length })
        .chain((boards) => fc.tuple(...boards.map(target))),
      media,
      fit: fc.constantFrom('pad' as const, 'crop' as const),
      optimize: fc.boolean(),
    },
    { requiredKeys: ['targets', 'media'] },
  );
}

/** The post in the flat (`content`, `scheduledFor`, `platforms[].accountId`) or nested shape. */
export function render(post: ValidPost, shape: Shape, accountId: string): JsonObject {
  const names =
    shape === 'flat'
      ? { description: 'content', time: 'scheduledFor', targets: 'platforms', account: 'accountId' }
      : { description: 'caption', time: 'scheduledAt', targets: 'targets', account: 'socialAccountId' };
  const body: JsonObject = {};
  if (post.description !== undefined) body[names.description] = post.description;
  if (post.time !== undefined) body[names.time] = post.time;
  body[names.targets] = post.targets.map((t) => ({
    [names.account]: accountId,
    platformOptions: { platform: 'PINTEREST', ...t } as JsonObject,
  }));
  if ('ids' in post.media) body.mediaIds = post.media.ids;
  else body.mediaItems = post.media.urls.map((url) => ({ type: 'IMAGE', url }));
  if (post.timezone !== undefined) body.timezone = post.timezone;
  if (post.fit !== undefined) body.fit = post.fit;
  if (post.optimize !== undefined) body.optimize = post.optimize;
  return body;
}

// ── Mutations ──────────────────────────────────────────────────────────────────────────────────────

type Mutation =
  | { kind: 'set'; at: number; value: Json }
  | { kind: 'delete'; at: number }
  | { kind: 'add'; at: number; key: string; value: Json }
  | { kind: 'time'; value: Json }
  | { kind: 'timezone'; value: Json }
  | { kind: 'id'; at: number; value: Json }
  | { kind: 'otherShape'; value: Json }
  | { kind: 'duplicateTarget' }
  | { kind: 'video' };

const interestingKeys = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'firstComment',
    'boards',
    'content',
    'caption',
    'targets',
    'platforms',
    'mediaIds',
    'mediaItems',
    'scheduledAt',
    'scheduledFor',
    'accountId',
    'socialAccountId',
    'workspaceId',
    'id',
    'status',
    '\u0000',
    '',
  ),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

function mutation(world: FuzzWorld): fc.Arbitrary<Mutation> {
  const at = fc.nat();
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('set' as const), at, value: garbage }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('add' as const), at, key: interestingKeys, value: garbage }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('time' as const), value: badTime }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('timezone' as const), value: badTimezone }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('id' as const), at, value: badId(world) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('otherShape' as const), value: garbage }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'duplicateTarget' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'video' as const }) },
  );
}

type Path = Array<string | number>;

/** Every path into the body, down to a post's own depth (garbage nested thousands deep is not walked). */
function pathsOf(value: Json, prefix: Path = []): Path[] {
  if (prefix.length >= 6 || value === null || typeof value !== 'object') return [];
  const entries: Array<[string | number, Json]> = Array.isArray(value) ? value.map((item, i) => [i, item]) : Object.entries(value);
  return entries.flatMap(([key, item]) => [[...prefix, key], ...pathsOf(item, [...prefix, key])]);
}

function parentOf(body: JsonObject, path: Path): { parent: Json; key: string | number } {
  let parent: Json = body;
  for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[key] as Json;
  return { parent, key: path.at(-1)! };
}

function setAt(body: JsonObject, path: Path, value: Json): void {
  const { parent, key } = parentOf(body, path);
  if (Array.isArray(parent)) parent[key as number] = value;
  else if (parent !== null && typeof parent === 'object')
    Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
}

const idFields = new Set(['accountId', 'socialAccountId', 'board', 'boardSection', 'mediaIds']);

function apply(body: JsonObject, m: Mutation, shape: Shape): void {
  const paths = pathsOf(body);
  const pick = (at: number, of: Path[] = paths): Path | undefined => of[at % Math.max(1, of.length)];
  switch (m.kind) {
    case 'set': {
      const path = pick(m.at);
      if (path) setAt(body, path, m.value);
      return;
    }
    case 'delete': {
      const path = pick(m.at);
      if (!path) return;
      const { parent, key } = parentOf(body, path);
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else if (parent !== null && typeof parent === 'object') delete parent[key as string];
      return;
    }
    case 'add': {
      const objects = [[], ...paths].filter((p) => {
        const value = p.length === 0 ? body : (parentOf(body, p).parent as Record<string | number, Json>)[p.at(-1)!];
        return value !== null && typeof value === 'object' && !Array.isArray(value);
      });
      const path = pick(m.at, objects) ?? [];
      setAt(body, [...path, m.key], m.value);
      return;
    }
    case 'time':
      body[shape === 'flat' ? 'scheduledFor' : 'scheduledAt'] = m.value;
      return;
    case 'timezone':
      body.timezone = m.value;
      return;
    case 'id': {
      const ids = paths.filter((p) => idFields.has(String(p.at(-1))) || idFields.has(String(p.at(-2))));
      const path = pick(m.at, ids);
      if (path) setAt(body, path, m.value);
      return;
    }
    case 'otherShape':
      body[shape === 'flat' ? 'caption' : 'content'] = m.value;
      return;
    case 'duplicateTarget': {
      const list = body[shape === 'flat' ? 'platforms' : 'targets'];
      // The same object twice (JSON writes it twice); a clone of garbage nested 2,000 deep would overflow the stack.
      if (Array.isArray(list) && list.length > 0) list.push(list[0]!);
      return;
    }
    case 'video': {
      if (Array.isArray(body.mediaItems)) body.mediaItems = body.mediaItems.map((item) => ({ ...(item as JsonObject), type: 'VIDEO' }));
      else body.mediaItems = [{ type: 'VIDEO', url: 'http://127.0.0.1:9/clip.mp4' }];
      return;
    }
  }
}

export interface FuzzedPost {
  shape: Shape;
  /** Whether the body is a valid post as generated (no mutation): pinflow must accept it. */
  valid: boolean;
  body: Json;
  route: '/v1/posts' | '/v1/posts/validate';
  idempotencyKey?: string;
}

/** Valid posts of one shape (a quarter of them), the rest mutated 1–3 times, and a few bodies of no shape at all. */
export function fuzzedPost(world: FuzzWorld, shape: Shape): fc.Arbitrary<FuzzedPost> {
  const mutated = fc.tuple(validPost(world), fc.array(mutation(world), { minLength: 1, maxLength: 3 })).map(([post, mutations]) => {
    const body = render(post, shape, world.accountId);
    for (const m of mutations) apply(body, m, shape);
    return { body: body as Json, valid: false };
  });
  const valid = validPost(world).map((post) => ({ body: render(post, shape, world.accountId) as Json, valid: true }));
  const body = fc.oneof(
    { weight: 5, arbitrary: valid },
    { weight: 14, arbitrary: mutated },
    { weight: 1, arbitrary: garbage.map((g) => ({ body: g, valid: false })) },
  );
  const key = fc.option(fc.oneof(fc.constantFrom('k1', 'k2', 'k3'), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 300 })), {
    freq: 5,
  });
  return fc
    .record({ body, route: fc.constantFrom('/v1/posts' as const, '/v1/posts/validate' as const), key })
    .map(({ body: b, route, key: k }) => ({
      shape,
      valid: b.valid,
      body: b.body,
      route,
      ...(k === null ? {} : { idempotencyKey: k }),
    }));
}

// ── Media bodies ───────────────────────────────────────────────────────────────────────────────────

export interface FuzzedUpload {
  parts: Array<{ name: string; bytes?: Uint8Array; text?: string; filename?: string; type?: string }>;
}

const jpegHead = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);
const pngHead = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
const mp4Head = Uint8Array.from([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d]);
const gifHead = new TextEncoder().encode('GIF89a');

const concat = (a: Uint8Array, b: Uint8Array): Uint8Array => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};

/** Random bytes, random bytes behind an image or video signature, or a real image cut short or corrupted. */
export function uploadBytes(realImages: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  const random = fc.uint8Array({ maxLength: 64 * 1024 });
  return fc.oneof(
    { weight: 4, arbitrary: random },
    {
      weight: 3,
      arbitrary: fc.tuple(fc.constantFrom(jpegHead, pngHead, mp4Head, gifHead), random).map(([head, tail]) => concat(head, tail)),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...realImages), fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 }))
        .map(([image, cut, at, byte]) => {
          const copy = image.slice(0, Math.max(1, cut % image.length));
          if (copy.length > 0) copy[at % copy.length] = byte;
          return copy;
        }),
    },
    { weight: 1, arbitrary: fc.constantFrom(...realImages) },
  );
}

export function fuzzedUpload(realImages: readonly Uint8Array[]): fc.Arbitrary<FuzzedUpload> {
  const type = fc.oneof(
    fc.constantFrom('image/jpeg', 'image/png', 'image/gif', 'video/mp4', 'application/octet-stream', 'text/plain', ''),
    fc.string({ unit: 'grapheme-ascii', maxLength: 30 }),
  );
  const file = fc.record({
    name: fc.constantFrom('file', 'image', '', 'x'.repeat(300)),
    bytes: uploadBytes(realImages),
    filename: text(60),
    type,
  });
  const field = fc.record({
    name: fc.string({ unit: 'grapheme-ascii', maxLength: 20 }),
    text: fc.oneof(fc.string({ maxLength: 100 }), fc.string({ minLength: 1_000, maxLength: 3_000 })),
  });
  return fc
    .record({
      before: fc.array(field, { maxLength: 5 }),
      files: fc.array(file, { minLength: 0, maxLength: 2 }),
      after: fc.array(field, { maxLength: 2 }),
    })
    .map(({ before, files, after }) => ({ parts: [...before, ...files, ...after] }));
}

export interface FuzzedUrlBody {
  body: Json | undefined;
  contentType: string;
}

/** `{ url }` with URLs of every kind pinflow must refuse, and a few that a loopback image server answers. */
export function fuzzedUrlBody(world: FuzzWorld): fc.Arbitrary<FuzzedUrlBody> {
  const scheme = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('http', 'https') },
    { weight: 1, arbitrary: fc.constantFrom('file', 'gopher', 'ftp', 'data', 'javascript', 'HTTP', 'ws', 'dict') },
  );
  const host = fc.constantFrom(
    world.imageHost,
    world.imageHost.replace('127.0.0.1', 'localhost'),
    world.imageHost.replace('127.0.0.1', '2130706433'),
    world.imageHost.replace('127.0.0.1', '0x7f.0.0.1'),
    world.imageHost.replace('127.0.0.1', '0177.0.0.1'),
    world.imageHost.replace('127.0.0.1', '[::ffff:127.0.0.1]'),
    world.imageHost.replace('127.0.0.1', '0.0.0.0'),
    world.imageHost.replace('127.0.0.1', '[::1]'),
    `user:pass@${world.imageHost}`,
    '10.0.0.1',
    '169.254.169.254',
    '[::ffff:169.254.169.254]',
    '[fd00::1]',
    '[fe80::1]',
    '100.64.0.1',
    '192.168.1.1',
    '172.16.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '[64:ff9b::a9fe:a9fe]',
  );
  const path = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        '/a.jpg',
        '/tiny.jpg',
        '/clip.mp4',
        '/notes.txt',
        '/status/500',
        '/status/302',
        '/status/204',
        '/missing.jpg',
      ),
    },
    { weight: 1, arbitrary: fc.webPath() },
    { weight: 1, arbitrary: text(100).map((t) => `/${t}`) },
  );
  const url = fc.oneof(
    { weight: 8, arbitrary: fc.tuple(scheme, host, path).map(([s, h, p]) => `${s}://${h}${p}`) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'file:///etc/passwd',
        'gopher://127.0.0.1:25/_HELO',
        'http://',
        '//127.0.0.1/a.jpg',
        'a.jpg',
        'http://[::1',
        `http://${'a'.repeat(3000)}.invalid/`,
      ),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  );
  const body: fc.Arbitrary<Json | undefined> = fc.oneof(
    { weight: 8, arbitrary: url.map((u) => ({ url: u })) },
    { weight: 1, arbitrary: fc.tuple(url, interestingKeys, garbage).map(([u, k, g]) => ({ url: u, [k]: g })) },
    { weight: 1, arbitrary: garbage.map((g) => ({ url: g })) },
    { weight: 1, arbitrary: fc.oneof(garbage, fc.constant(undefined)) },
  );
  const contentType = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/xml',
        'multipart/form-data',
        'image/jpeg',
        'application/json; charset=latin1',
        '',
      ),
    },
  );
  return fc.record({ body, contentType });
}
