// The two request shapes of `POST /v1/posts` (flat and nested, as the product guide writes them), the PATCH
// edit shape, and their normalization into one canonical post with every problem reported at once.
import { z } from 'zod';
import { isErrorCode, problem, type ErrorCode, type Problem } from './errors';
import {
  ALT_TEXT_MAX_CHARS,
  CAROUSEL_MAX_SLIDES,
  DESCRIPTION_MAX_CHARS,
  TITLE_MAX_CHARS,
  checkAltText,
  checkDescription,
  checkNotVideo,
  checkTitle,
  mediaTypeSchema,
} from './pinterest-rules';
import { resolveScheduledAt } from './schedule-time';

/** One pin per board and account: a post fanning out further is a campaign, better sent as several posts. */
export const MAX_TARGETS = 20;
// ---------------------------------------------------------------------------------------------------
// Fields

/** http(s) only; whether the link resolves is checked when the post is accepted, not here. */
const httpUrl = z.url({ protocol: /^https?$/ });

/**
 * A text field limited by a pinterest-rules check. The check (not zod's `.max`, which counts UTF-16 units)
 * decides, so an emoji counts as one character here exactly as at publish time; the rule's problem rides
 * on the zod issue (`params.code`). `maxLength` is for the OpenAPI document (JSON Schema counts code points).
 */
function ruledText(check: (text: string) => Problem[], maxLength: number, description: string) {
  return z
    .string()
    .superRefine((text, ctx) => {
      for (const found of check(text)) ctx.addIssue({ code: 'custom', message: found.message, params: { code: found.code }, input: text });
    })
    .meta({ maxLength, description });
}

const description = ruledText(checkDescription, DESCRIPTION_MAX_CHARS, `The pin description (≤ ${DESCRIPTION_MAX_CHARS} characters).`);
const board = z.string().trim().min(1).describe('Pinterest board id where the pin lands. Exactly one; there is no default board.');
const boardSection = z.string().trim().min(1).describe('Board section id (optional; must be a section of the board).');
const title = ruledText(checkTitle, TITLE_MAX_CHARS, `Pin title (≤ ${TITLE_MAX_CHARS} characters).`);
const link = httpUrl.describe('Outbound click destination (http or https).');
const altText = ruledText(checkAltText, ALT_TEXT_MAX_CHARS, `Image alt text (≤ ${ALT_TEXT_MAX_CHARS} characters).`);
const time = z
  .string()
  .describe('ISO 8601 date-time with an offset ("Z" or "±hh:mm"), or without one when `timezone` is given. Omitted: now.');
const timezone = z
  .string()
  .describe('IANA time zone name (e.g. "America/New_York"): reads a `scheduledAt` without offset as wall time there.');
const fit = z.enum(['pad', 'crop']).describe('How carousel slides of different aspect ratios are made to match.');

export const pinterestPlatformOptionsSchema = z.strictObject({
  platform: z.literal('PINTEREST'),
  board,
  boardSection: boardSection.optional(),
  title: title.optional(),
  link: link.optional(),
  altText: altText.optional(),
});
export type PinterestPlatformOptions = z.infer<typeof pinterestPlatformOptionsSchema>;

/** VIDEO is part of the shape so that it can be refused with PIN_VIDEO_NOT_SUPPORTED rather than a type error. */
export const mediaItemSchema = z.strictObject({ type: mediaTypeSchema, url: httpUrl });
const mediaIds = z.array(z.string().min(1)).min(1).max(CAROUSEL_MAX_SLIDES).describe('1 image, or 2–5 for a carousel.');
const mediaItems = z.array(mediaItemSchema).min(1).max(CAROUSEL_MAX_SLIDES).describe('1 image, or 2–5 for a carousel.');

const sharedFields = {
  mediaIds: mediaIds.optional(),
  mediaItems: mediaItems.optional(),
  timezone: timezone.optional(),
  firstComment: z.string().optional().describe('Refused with PIN_FIRST_COMMENT_UNSUPPORTED: Pinterest has no comment API.'),
  fit: fit.optional(),
  optimize: z.boolean().default(true).describe('Prepare an optimized copy of each image (default true).'),
};

// ---------------------------------------------------------------------------------------------------
// Request shapes. The request types are the schemas' *input* types: what a caller writes (optimize optional).

export const flatPostRequestSchema = z.strictObject({
  content: description.optional(),
  scheduledFor: time.optional(),
  platforms: z
    .array(z.strictObject({ accountId: z.string().min(1), platformOptions: pinterestPlatformOptionsSchema }))
    .min(1)
    .max(MAX_TARGETS),
  ...sharedFields,
});
export type FlatPostRequest = z.input<typeof flatPostRequestSchema>;

export const nestedPostRequestSchema = z.strictObject({
  caption: description.optional(),
  scheduledAt: time.optional(),
  targets: z
    .array(z.strictObject({ socialAccountId: z.string().min(1), platformOptions: pinterestPlatformOptionsSchema }))
    .min(1)
    .max(MAX_TARGETS),
  ...sharedFields,
});
export type NestedPostRequest = z.input<typeof nestedPostRequestSchema>;

/** For documentation (OpenAPI `oneOf`) and SDK types; validate bodies with `normalizePostRequest`, which maps codes. */
export const postRequestSchema = z.union([flatPostRequestSchema, nestedPostRequestSchema]);
export type PostRequest = z.input<typeof postRequestSchema>;

// ---------------------------------------------------------------------------------------------------
// Canonical post: what both shapes become, and what is stored and handed to the workflow.

export const canonicalTargetSchema = z.strictObject({
  accountId: z.string().min(1),
  board,
  title: title.optional(),
  link: link.optional(),
  altText: altText.optional(),
  boardSection: boardSection.optional(),
});
export type CanonicalTarget = z.infer<typeof canonicalTargetSchema>;

/** Media by reference (ids of stored media) or inline (URLs fetched and stored when the post is accepted). */
export const canonicalMediaSchema = z.union([
  z.strictObject({ ids: mediaIds }),
  z.strictObject({
    items: z
      .array(z.strictObject({ type: z.literal('IMAGE'), url: httpUrl }))
      .min(1)
      .max(CAROUSEL_MAX_SLIDES),
  }),
]);
export type CanonicalMedia = z.infer<typeof canonicalMediaSchema>;

export const canonicalPostRequestSchema = z.strictObject({
  description,
  /** UTC, e.g. "2026-03-01T14:30:00.000Z". */
  scheduledAt: z.iso.datetime(),
  timezone: timezone.optional(),
  media: canonicalMediaSchema,
  targets: z.array(canonicalTargetSchema).min(1).max(MAX_TARGETS),
  fit: fit.optional(),
  optimize: z.boolean(),
});
export type CanonicalPostRequest = z.infer<typeof canonicalPostRequestSchema>;

// ---------------------------------------------------------------------------------------------------
// PATCH /v1/posts/{id}. Omitted fields stay as they are; `null` clears an optional pin field. The top-level
// pin fields (title, link, altText, boardSection) apply to every target; an entry of `targets` edits one
// target (by its `tgt_` id) and wins over the top-level fields for that target. The board is changed per
// target only. Media is replaced by ids only (upload by URL first through the media API).

const targetEditFields = {
  title: title.nullable().optional(),
  link: link.nullable().optional(),
  altText: altText.nullable().optional(),
  boardSection: boardSection.nullable().optional(),
};

export const postTargetEditSchema = z.strictObject({ targetId: z.string().min(1), board: board.optional(), ...targetEditFields });
export type PostTargetEdit = z.infer<typeof postTargetEditSchema>;

export const postUpdateRequestSchema = z.strictObject({
  scheduledAt: time.optional(),
  scheduledFor: time.optional(),
  timezone: timezone.optional(),
  content: description.optional(),
  caption: description.optional(),
  mediaIds: mediaIds.optional(),
  ...targetEditFields,
  targets: z.array(postTargetEditSchema).min(1).optional(),
});
export type PostUpdateRequest = z.input<typeof postUpdateRequestSchema>;

export const canonicalPostUpdateSchema = z.strictObject({
  scheduledAt: z.iso.datetime().optional(),
  timezone: timezone.optional(),
  description: description.optional(),
  mediaIds: mediaIds.optional(),
  /** Applies to every target of the post. */
  allTargets: z.strictObject(targetEditFields),
  /** Per-target edits; they win over `allTargets`. */
  targets: z.array(postTargetEditSchema),
});
export type CanonicalPostUpdate = z.infer<typeof canonicalPostUpdateSchema>;

// ---------------------------------------------------------------------------------------------------
// Normalization

export type NormalizePostResult = { ok: true; post: CanonicalPostRequest } | { ok: false; problems: Problem[] };
export type NormalizePostUpdateResult = { ok: true; update: CanonicalPostUpdate } | { ok: false; problems: Problem[] };
export interface NormalizeOptions {
  now: Date;
}

type Shape = 'flat' | 'nested';

/** Each shape's names for the same things; the counterpart of a field is the other shape's name for it. */
const shapeFields = {
  flat: { description: 'content', time: 'scheduledFor', targets: 'platforms', account: 'accountId' },
  nested: { description: 'caption', time: 'scheduledAt', targets: 'targets', account: 'socialAccountId' },
} as const;

const otherShape: Record<Shape, Shape> = { flat: 'nested', nested: 'flat' };

const topLevelFields = (shape: Shape): string[] => [shapeFields[shape].description, shapeFields[shape].time, shapeFields[shape].targets];

/**
 * Validates a `POST /v1/posts` body of either shape and turns it into the canonical post. Every problem is
 * reported, each with its code, its path in the caller's own field names and, inside a target, its index.
 */
export function normalizePostRequest(body: unknown, { now }: NormalizeOptions): NormalizePostResult {
  if (!isRecord(body)) return { ok: false, problems: [notAnObject()] };
  const shape = shapeOf(body);
  const context: IssueContext = { targetsKey: shapeFields[shape].targets, shape, anchor: anchorOf(body, shape) };
  const parsed = parsePostBody(body, shape);
  const time = resolveTime(body, shapeFields[shape].time, now);
  const problems = [
    ...(parsed.ok ? [] : parsed.issues.flatMap((issue) => problemsFromIssue(issue, context))),
    ...firstCommentProblems(body),
    ...mediaProblems(body),
    ...(time.ok ? [] : time.problems),
  ];
  if (problems.length > 0 || !parsed.ok || !time.ok) return { ok: false, problems };
  return { ok: true, post: toCanonical(parsed.parts, time.at) };
}

/**
 * Validates a `PATCH /v1/posts/{id}` body. The time is resolved only when one is given; `timezone` alone is
 * refused, since it only says how to read a time without offset and would otherwise silently do nothing.
 */
export function normalizePostUpdate(body: unknown, { now }: NormalizeOptions): NormalizePostUpdateResult {
  if (!isRecord(body)) return { ok: false, problems: [notAnObject()] };
  const parsed = postUpdateRequestSchema.safeParse(body, { reportInput: true });
  const timeField = body.scheduledFor !== undefined ? 'scheduledFor' : 'scheduledAt';
  const time = body[timeField] === undefined ? undefined : resolveTime(body, timeField, now);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.flatMap((issue) => problemsFromIssue(issue, {}))),
    ...updateProblems(body),
    ...(time === undefined || time.ok ? [] : time.problems),
  ];
  if (problems.length > 0 || !parsed.success || (time !== undefined && !time.ok)) return { ok: false, problems };

  const edit = parsed.data;
  return {
    ok: true,
    update: definedOnly({
      scheduledAt: time?.at.toISOString(),
      timezone: edit.timezone,
      description: edit.content ?? edit.caption,
      mediaIds: edit.mediaIds,
      allTargets: definedOnly({ title: edit.title, link: edit.link, altText: edit.altText, boardSection: edit.boardSection }),
      targets: (edit.targets ?? []).map((target) => definedOnly(target)),
    }),
  };
}

// ---------------------------------------------------------------------------------------------------
// Shapes

type FlatParsed = z.infer<typeof flatPostRequestSchema>;
type NestedParsed = z.infer<typeof nestedPostRequestSchema>;
type Shared = Pick<FlatParsed, keyof typeof sharedFields>;

/** What both shapes say, in canonical words. */
interface PostParts {
  description: string | undefined;
  targets: CanonicalTarget[];
  shared: Shared;
}

type ParsedPost = { ok: true; parts: PostParts } | { ok: false; issues: z.core.$ZodIssue[] };

/**
 * The list of targets decides the shape; without one (or with both), the shape with more of its own
 * top-level fields does, the flat one on a tie (the guide's quick start uses it).
 */
function shapeOf(body: Record<string, unknown>): Shape {
  const hasFlatTargets = body.platforms !== undefined;
  const hasNestedTargets = body.targets !== undefined;
  if (hasFlatTargets !== hasNestedTargets) return hasFlatTargets ? 'flat' : 'nested';
  const count = (shape: Shape) => topLevelFields(shape).filter((key) => body[key] !== undefined).length;
  return count('nested') > count('flat') ? 'nested' : 'flat';
}

/** The field that made the body this shape, to name in a "mixed shapes" problem. */
function anchorOf(body: Record<string, unknown>, shape: Shape): string | undefined {
  const own = topLevelFields(shape).filter((key) => body[key] !== undefined);
  return own.at(-1);
}

function parsePostBody(body: Record<string, unknown>, shape: Shape): ParsedPost {
  if (shape === 'flat') {
    const result = flatPostRequestSchema.safeParse(body, { reportInput: true });
    return result.success ? { ok: true, parts: fromFlat(result.data) } : { ok: false, issues: result.error.issues };
  }
  const result = nestedPostRequestSchema.safeParse(body, { reportInput: true });
  return result.success ? { ok: true, parts: fromNested(result.data) } : { ok: false, issues: result.error.issues };
}

function fromFlat(post: FlatParsed): PostParts {
  return {
    description: post.content,
    targets: post.platforms.map((p) => toTarget(p.accountId, p.platformOptions)),
    shared: post,
  };
}

function fromNested(post: NestedParsed): PostParts {
  return {
    description: post.caption,
    targets: post.targets.map((t) => toTarget(t.socialAccountId, t.platformOptions)),
    shared: post,
  };
}

function toTarget(accountId: string, options: PinterestPlatformOptions): CanonicalTarget {
  const { board, title, link, altText, boardSection } = options;
  return definedOnly({ accountId, board, title, link, altText, boardSection });
}

function toCanonical({ description, targets, shared }: PostParts, at: Date): CanonicalPostRequest {
  return definedOnly({
    description: description ?? '',
    scheduledAt: at.toISOString(),
    timezone: shared.timezone,
    media: toMedia(shared),
    targets,
    fit: shared.fit,
    optimize: shared.optimize,
  });
}

function toMedia({ mediaIds, mediaItems }: Shared): CanonicalMedia {
  if (mediaIds !== undefined) return { ids: mediaIds };
  // VIDEO items were refused before this point: every item left is an image.
  return { items: (mediaItems ?? []).map(({ url }) => ({ type: 'IMAGE' as const, url })) };
}

// ---------------------------------------------------------------------------------------------------
// Rules the schema cannot say: they are read from the raw body so that they are reported even when
// other fields fail the schema.

function firstCommentProblems(body: Record<string, unknown>): Problem[] {
  if (body.firstComment === undefined) return [];
  return [
    problem('PIN_FIRST_COMMENT_UNSUPPORTED', 'firstComment is not supported: Pinterest has no comment API. Remove it.', {
      path: 'firstComment',
    }),
  ];
}

function mediaProblems(body: Record<string, unknown>): Problem[] {
  const { mediaIds: ids, mediaItems: items } = body;
  if (ids === undefined && items === undefined) {
    return [problem('PIN_MEDIA_REQUIRED', 'A pin needs an image: pass mediaIds or mediaItems.', { path: 'mediaIds' })];
  }
  const problems: Problem[] = [];
  if (ids !== undefined && items !== undefined) {
    problems.push(problem('VALIDATION_FAILED', 'Pass either mediaIds or mediaItems, not both.', { path: 'mediaItems' }));
  }
  if (Array.isArray(items)) {
    items.forEach((item: unknown, index) => {
      if (isRecord(item) && typeof item.type === 'string')
        problems.push(...checkNotVideo({ type: item.type }, { path: `mediaItems[${index}].type` }));
    });
  }
  return problems;
}

function updateProblems(body: Record<string, unknown>): Problem[] {
  const given = (key: string) => body[key] !== undefined;
  const problems: Problem[] = [];
  if (!Object.keys(body).some(given)) problems.push(problem('VALIDATION_FAILED', 'Nothing to change: the body has no field.'));
  if (given('scheduledAt') && given('scheduledFor')) {
    problems.push(problem('VALIDATION_FAILED', 'scheduledAt and scheduledFor are the same field: pass one.', { path: 'scheduledFor' }));
  }
  if (given('content') && given('caption')) {
    problems.push(problem('VALIDATION_FAILED', 'content and caption are the same field: pass one.', { path: 'caption' }));
  }
  if (given('timezone') && !given('scheduledAt') && !given('scheduledFor')) {
    problems.push(
      problem('VALIDATION_FAILED', 'timezone only says how to read scheduledAt: send it with scheduledAt.', { path: 'timezone' }),
    );
  }
  return [...problems, ...duplicateTargetEdits(body.targets)];
}

function duplicateTargetEdits(targets: unknown): Problem[] {
  if (!Array.isArray(targets)) return [];
  const seen = new Set<unknown>();
  const problems: Problem[] = [];
  targets.forEach((edit: unknown, index) => {
    if (!isRecord(edit) || typeof edit.targetId !== 'string') return;
    if (seen.has(edit.targetId)) {
      problems.push(
        problem('VALIDATION_FAILED', `Target ${edit.targetId} is edited twice: merge the edits.`, { path: `targets[${index}].targetId` }),
      );
    }
    seen.add(edit.targetId);
  });
  return problems;
}

type TimeResult = { ok: true; at: Date } | { ok: false; problems: Problem[] };

function resolveTime(body: Record<string, unknown>, field: string, now: Date): TimeResult {
  const input = body[field];
  const { timezone: zone } = body;
  // A time or zone of the wrong type is the schema's problem to report.
  if (!isOptionalString(input) || !isOptionalString(zone)) return { ok: false, problems: [] };
  const result = resolveScheduledAt(input, zone, now, { path: field });
  return result.ok ? result : { ok: false, problems: [result.problem] };
}

// ---------------------------------------------------------------------------------------------------
// zod issues → our codes, at the caller's paths

interface IssueContext {
  /** The caller's name of the target list, so that problems inside it carry the target index. */
  targetsKey?: string;
  shape?: Shape;
  anchor?: string;
}

type Mapped = { code: ErrorCode; message: string; path?: PropertyKey[] };
type IssueRule = (issue: z.core.$ZodIssue, context: IssueContext) => Mapped | undefined;

const boardRequired: Mapped = {
  code: 'PIN_BOARD_REQUIRED',
  message: 'board is required: pass the id of the board the pin lands on (Pinterest has no default board).',
};

/** A pinterest-rules problem carried on a zod issue by `ruledText`. */
function ruleProblem(issue: z.core.$ZodIssue): Mapped | undefined {
  if (issue.code !== 'custom') return undefined;
  const code: unknown = issue.params?.code;
  return isErrorCode(code) ? { code, message: issue.message } : undefined;
}

const targetsRequired: IssueRule = (issue, context) => {
  const field = issue.path.at(-1);
  if (issue.path.length !== 1 || field !== context.targetsKey) return undefined;
  if (issue.input !== undefined && issue.code !== 'too_small') return undefined;
  return {
    code: 'POST_TARGET_REQUIRED',
    message: `A post needs at least one target: pass ${String(field)} with an account and a board.`,
  };
};

const mediaCount: IssueRule = (issue) => {
  if (issue.path.length !== 1) return undefined;
  if (issue.code === 'too_small') return { code: 'PIN_MEDIA_REQUIRED', message: 'A pin needs at least one image.' };
  if (issue.code === 'too_big') {
    const count = Array.isArray(issue.input) ? issue.input.length : 'more';
    return { code: 'PIN_CAROUSEL_SIZE', message: `A carousel has 2 to ${issue.maximum} images, not ${count}.` };
  }
  return undefined;
};

const timeType: IssueRule = (issue) =>
  issue.code === 'invalid_type'
    ? { code: 'POST_TIME_INVALID', message: 'The time must be an ISO 8601 string such as "2026-03-01T09:30:00-05:00".' }
    : undefined;

/** Keyed by the issue's last path element: the field the issue is about. */
const fieldRules: Partial<Record<string, IssueRule>> = {
  board: (issue) => {
    if (Array.isArray(issue.input)) {
      return {
        code: 'PIN_MULTIPLE_BOARDS',
        message: 'board is one board id, not a list: one pin lands on one board, so add one target per board.',
      };
    }
    return isBlank(issue.input) ? boardRequired : undefined;
  },
  platformOptions: (issue) => (issue.input === undefined ? { ...boardRequired, path: [...issue.path, 'board'] } : undefined),
  platform: () => ({ code: 'PIN_PLATFORM_UNSUPPORTED', message: 'platformOptions.platform must be "PINTEREST".' }),
  link: (issue) =>
    issue.code === 'invalid_format'
      ? { code: 'PIN_LINK_INVALID', message: `link ${JSON.stringify(issue.input)} is not an http(s) URL.` }
      : undefined,
  url: (issue) =>
    issue.code === 'invalid_format'
      ? { code: 'MEDIA_FETCH_FAILED', message: `url ${JSON.stringify(issue.input)} is not an http(s) URL.` }
      : undefined,
  platforms: targetsRequired,
  targets: targetsRequired,
  mediaIds: mediaCount,
  mediaItems: mediaCount,
  scheduledFor: timeType,
  scheduledAt: timeType,
  timezone: () => ({ code: 'POST_TIMEZONE_INVALID', message: 'timezone must be an IANA time zone name such as "Europe/Paris".' }),
};

function problemsFromIssue(issue: z.core.$ZodIssue, context: IssueContext): Problem[] {
  // firstComment is refused whatever its value (see firstCommentProblems): one problem, not two.
  if (issue.path[0] === 'firstComment') return [];
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => unknownFieldProblem(key, issue.path, context));
  const field = issue.path.at(-1);
  const mapped = ruleProblem(issue) ?? (typeof field === 'string' ? fieldRules[field]?.(issue, context) : undefined);
  if (mapped) return [problem(mapped.code, mapped.message, where(mapped.path ?? issue.path, context))];
  const at = formatPath(issue.path);
  const message =
    issue.code === 'invalid_type' && issue.input === undefined ? `${at} is required.` : at ? `${at}: ${issue.message}` : issue.message;
  return [problem('VALIDATION_FAILED', message, where(issue.path, context))];
}

function unknownFieldProblem(key: string, parent: PropertyKey[], context: IssueContext): Problem {
  const path = [...parent, key];
  if (key === 'firstComment') {
    return problem('PIN_FIRST_COMMENT_UNSUPPORTED', 'firstComment is not supported: Pinterest has no comment API.', where(path, context));
  }
  if (key === 'boards') {
    return problem('PIN_MULTIPLE_BOARDS', 'One pin lands on one board: pass one board per target.', where(path, context));
  }
  const message = mixedShapeMessage(key, parent, context) ?? `Unknown field ${formatPath(path)}.`;
  return problem('VALIDATION_FAILED', message, where(path, context));
}

/** Names both fields when a body mixes the flat and nested shapes (e.g. `content` with `targets`). */
function mixedShapeMessage(key: string, parent: PropertyKey[], { shape, anchor }: IssueContext): string | undefined {
  if (shape === undefined) return undefined;
  const own = shapeFields[shape];
  const other = shapeFields[otherShape[shape]];
  const inTarget = parent.length === 2 && parent[0] === own.targets;
  if (inTarget && key === other.account) {
    return `${key} belongs to the ${otherShape[shape]} shape: in ${own.targets}[] write ${own.account}.`;
  }
  if (parent.length !== 0) return undefined;
  const role = (Object.keys(other) as (keyof typeof other)[]).find((r) => other[r] === key);
  if (role === undefined) return undefined;
  return (
    `${key} belongs to the ${otherShape[shape]} shape but ${anchor ?? own.targets} to the ${shape} shape: use one shape ` +
    `(write ${own[role]} here, or ${other.description}/${other.time}/${other.targets} throughout).`
  );
}

function where(path: readonly PropertyKey[], { targetsKey }: IssueContext): { path?: string; target?: number } {
  const formatted = formatPath(path);
  const target = targetsKey !== undefined && path[0] === targetsKey && typeof path[1] === 'number' ? path[1] : undefined;
  return definedOnly({ path: formatted === '' ? undefined : formatted, target });
}

/** `['platforms', 0, 'platformOptions', 'board']` → `platforms[0].platformOptions.board`. */
function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out === '' ? String(key) : `${out}.${String(key)}`;
  }, '');
}

// ---------------------------------------------------------------------------------------------------
// Small helpers

function notAnObject(): Problem {
  return problem('VALIDATION_FAILED', 'The body must be a JSON object.');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOptionalString(value: unknown): value is string | undefined {
  return value === undefined || typeof value === 'string';
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** Drops keys whose value is undefined, so that canonical records compare and serialize the same. */
function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
