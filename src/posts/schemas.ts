// What the posts API answers: zod schemas shared by the routes, the OpenAPI document and the SDK.
import { z } from 'zod';

export const postStatusSchema = z.enum(['scheduled', 'publishing', 'published', 'partially_published', 'failed', 'canceled']);
export const targetStatusSchema = z.enum(['scheduled', 'publishing', 'published', 'failed', 'canceled', 'outcome_unknown']);

export const publishAttemptSchema = z.object({
  id: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  outcome: z.enum(['pending', 'created', 'adopted', 'failed', 'not_created']),
  pinId: z.string().nullable(),
  /** Pinterest's `x-pinterest-rid`, for a support ticket with Pinterest. */
  pinterestRequestId: z.string().nullable(),
  errorCode: z.string().nullable(),
});

export const postTargetSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  platform: z.literal('PINTEREST'),
  board: z.string(),
  boardSection: z.string().nullable(),
  title: z.string().nullable(),
  link: z.string().nullable(),
  altText: z.string().nullable(),
  status: targetStatusSchema,
  pinId: z.string().nullable(),
  pinUrl: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string().nullable() }).nullable(),
  publishedAt: z.string().nullable(),
  attempts: z.array(publishAttemptSchema),
});

export const postSchema = z.object({
  id: z.string(),
  status: postStatusSchema,
  description: z.string(),
  scheduledAt: z.string(),
  timezone: z.string().nullable(),
  mediaIds: z.array(z.string()),
  fit: z.enum(['pad', 'crop']).nullable(),
  optimize: z.boolean(),
  targets: z.array(postTargetSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** What the last preflight found that will make the post fail; null when all is well or not yet checked. */
  risk: z.object({ code: z.string(), message: z.string().nullable(), checkedAt: z.string() }).nullable(),
});
export type PostView = z.infer<typeof postSchema>;

export const postListSchema = z.object({
  data: z.array(postSchema),
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type PostList = z.infer<typeof postListSchema>;

export const postListQuerySchema = z.object({
  status: postStatusSchema.optional(),
  accountId: z.string().optional(),
  /** Posts due at or after this instant (ISO 8601 with offset). */
  from: z.iso.datetime({ offset: true }).optional(),
  /** Posts due before this instant. */
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});
export type PostListQuery = z.infer<typeof postListQuerySchema>;

export const validationResultSchema = z.object({
  valid: z.literal(true),
  /** The post as it would be stored (both request shapes give the same). */
  post: z.record(z.string(), z.unknown()),
});
