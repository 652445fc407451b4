// Pinterest API v5 payloads as zod schemas, after openapi-v5.yaml (v5.23). What we send is checked as
// strictly as the spec checks it (the emulator validates requests with these very schemas); what we read
// is parsed leniently, so that a new enum value or an extra field from Pinterest does not break a call.
import { z } from 'zod';

/** Pinterest ids are digit strings (`^\d+$`), too long for a JS number. */
export const pinterestIdSchema = z.string().regex(/^\d+$/);

/**
 * A string of at most `max` characters. The spec's maxLength counts characters (code points), like
 * Pinterest does; zod's `.max()` counts UTF-16 units and would refuse 100 emoji in a title.
 */
function text(max: number) {
  return z.string().refine((value) => [...value].length <= max, { error: `constraint: maxLength=${max}` });
}

/**
 * Pinterest writes date-times without an offset ("2022-10-13T01:40:29", UTC [OBSERVED]) while the spec
 * says RFC 3339; both are read as UTC and become ISO 8601 with `Z`, so nobody downstream guesses a zone.
 */
export const pinterestDateTimeSchema = z.string().transform((value, ctx) => {
  const zoned = /(?:z|[+-]\d\d:?\d\d)$/i.test(value) ? value : `${value}Z`;
  const date = new Date(zoned);
  if (Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: 'custom', message: `not a date-time: ${value}` });
    return z.NEVER;
  }
  return date.toISOString();
});

// ---------------------------------------------------------------------------------------------------
// Scopes and pages

export const pinterestScopeSchema = z.enum([
  'ads:read',
  'ads:write',
  'billing:read',
  'billing:write',
  'biz_access:read',
  'biz_access:write',
  'boards:read',
  'boards:read_secret',
  'boards:write',
  'boards:write_secret',
  'catalogs:read',
  'catalogs:write',
  'msot:write',
  'pins:read',
  'pins:read_secret',
  'pins:write',
  'pins:write_secret',
  'user_accounts:read',
  'user_accounts:write',
]);
export type PinterestScope = z.infer<typeof pinterestScopeSchema>;

/** A bookmark-paginated list: `bookmark` is null or absent on the last page. */
export function pageSchema<Item extends z.ZodType>(item: Item) {
  return z.object({ items: z.array(item), bookmark: z.string().nullable().optional() });
}

// ---------------------------------------------------------------------------------------------------
// Pin creation (what we send)

export const imageContentTypeSchema = z.enum(['image/jpeg', 'image/png']);
/** Raw base64, no `data:` URI prefix. */
const base64Schema = z.string().regex(/^[a-zA-Z0-9+/=]+$/);
/** Per-slide text of a carousel; the spec gives these no length limits. */
const carouselSlideText = { title: z.string().optional(), description: z.string().optional(), link: z.string().optional() };

export const imageBase64SourceSchema = z.object({
  source_type: z.literal('image_base64'),
  content_type: imageContentTypeSchema,
  data: base64Schema,
  is_standard: z.boolean().optional(),
});

export const imageUrlSourceSchema = z.object({
  source_type: z.literal('image_url'),
  url: z.string(),
  is_standard: z.boolean().optional(),
});

export const multipleImageBase64SourceSchema = z.object({
  source_type: z.literal('multiple_image_base64'),
  items: z
    .array(z.object({ content_type: imageContentTypeSchema, data: base64Schema, ...carouselSlideText }))
    .min(2)
    .max(5),
  index: z.number().int().min(0).optional(),
});

export const multipleImageUrlsSourceSchema = z.object({
  source_type: z.literal('multiple_image_urls'),
  items: z
    .array(z.object({ url: z.string(), ...carouselSlideText }))
    .min(2)
    .max(5),
  index: z.number().int().min(0).optional(),
});

/** The image sources pinflow uses; `video_id` and `pin_url` (beta) are left out: we publish no video. */
export const pinMediaSourceSchema = z.discriminatedUnion('source_type', [
  imageBase64SourceSchema,
  imageUrlSourceSchema,
  multipleImageBase64SourceSchema,
  multipleImageUrlsSourceSchema,
]);
export type PinMediaSource = z.infer<typeof pinMediaSourceSchema>;

/**
 * `PinCreate`. The spec lists no required field, but Pinterest refuses a pin without a board or media,
 * so both are required here.
 */
export const pinCreateSchema = z.object({
  board_id: pinterestIdSchema,
  board_section_id: pinterestIdSchema.nullable().optional(),
  title: text(100).nullable().optional(),
  description: text(800).nullable().optional(),
  link: text(2048).nullable().optional(),
  alt_text: text(500).nullable().optional(),
  dominant_color: z.string().nullable().optional(),
  parent_pin_id: pinterestIdSchema.nullable().optional(),
  media_source: pinMediaSourceSchema,
});
export type PinCreate = z.infer<typeof pinCreateSchema>;

// ---------------------------------------------------------------------------------------------------
// Pins, boards, accounts (what we read)

const imageDetailsSchema = z.object({ url: z.string(), width: z.number().int().nullable(), height: z.number().int().nullable() });
/** Renditions keyed `150x150`, `400x300`, `600x`, `1200x` (and `originals`, seen in practice). */
const imageSizesSchema = z.record(z.string(), imageDetailsSchema);

export const pinMediaSchema = z.object({
  media_type: z.string(),
  images: imageSizesSchema.optional(),
  items: z
    .array(
      z.object({
        item_type: z.string().optional(),
        images: imageSizesSchema.optional(),
        title: z.string().nullable().optional(),
        description: z.string().nullable().optional(),
        link: z.string().nullable().optional(),
      }),
    )
    .optional(),
});

export const pinSchema = z.object({
  id: pinterestIdSchema,
  created_at: pinterestDateTimeSchema.optional(),
  board_id: pinterestIdSchema.optional(),
  board_section_id: pinterestIdSchema.nullable().optional(),
  board_owner: z.object({ username: z.string().optional() }).optional(),
  title: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  link: z.string().nullable().optional(),
  alt_text: z.string().nullable().optional(),
  dominant_color: z.string().nullable().optional(),
  parent_pin_id: z.string().nullable().optional(),
  creative_type: z.string().nullable().optional(),
  is_owner: z.boolean().optional(),
  is_standard: z.boolean().optional(),
  has_been_promoted: z.boolean().optional(),
  media: pinMediaSchema.optional(),
  pin_metrics: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type Pin = z.infer<typeof pinSchema>;
/** A Pin as Pinterest writes it (before our normalisation of `created_at`). */
export type PinBody = z.input<typeof pinSchema>;

export const boardPrivacySchema = z.enum(['PUBLIC', 'PROTECTED', 'SECRET']);
export type BoardPrivacy = z.infer<typeof boardPrivacySchema>;

export const boardSchema = z.object({
  id: pinterestIdSchema,
  name: z.string(),
  description: z.string().nullable().optional(),
  /** Read as a string: a new privacy level must not make the whole board list unreadable. */
  privacy: z.string().optional(),
  owner: z.object({ username: z.string().optional() }).optional(),
  created_at: pinterestDateTimeSchema.optional(),
  board_pins_modified_at: pinterestDateTimeSchema.optional(),
  pin_count: z.number().int().optional(),
  follower_count: z.number().int().optional(),
  collaborator_count: z.number().int().optional(),
  is_ads_only: z.boolean().optional(),
  media: z.object({ image_cover_url: z.string().nullable().optional(), pin_thumbnail_urls: z.array(z.string()).optional() }).optional(),
});
export type Board = z.infer<typeof boardSchema>;
export type BoardBody = z.input<typeof boardSchema>;

export const boardSectionSchema = z.object({ id: pinterestIdSchema, name: z.string() });
export type BoardSection = z.infer<typeof boardSectionSchema>;

/** `Account`. The spec requires nothing; an account without id and username is of no use to us. */
export const accountSchema = z.object({
  id: pinterestIdSchema,
  username: z.string(),
  account_type: z.string().optional(),
  business_name: z.string().nullable().optional(),
  profile_image: z.string().optional(),
  website_url: z.string().optional(),
  about: z.string().optional(),
  board_count: z.number().int().nullable().optional(),
  pin_count: z.number().int().nullable().optional(),
  follower_count: z.number().int().nullable().optional(),
  following_count: z.number().int().nullable().optional(),
  monthly_views: z.number().int().nullable().optional(),
});
export type Account = z.infer<typeof accountSchema>;
export type AccountBody = z.input<typeof accountSchema>;

// ---------------------------------------------------------------------------------------------------
// Analytics

/** `metric_types` of GET /pins/{pin_id}/analytics: the standard and the video Pin lists of the spec. */
export const pinMetricTypeSchema = z.enum([
  'IMPRESSION',
  'OUTBOUND_CLICK',
  'PIN_CLICK',
  'SAVE',
  'SAVE_RATE',
  'TOTAL_COMMENTS',
  'TOTAL_REACTIONS',
  'USER_FOLLOW',
  'PROFILE_VISIT',
  'VIDEO_MRC_VIEW',
  'VIDEO_10S_VIEW',
  'QUARTILE_95_PERCENT_VIEW',
  'VIDEO_V50_WATCH_TIME',
  'VIDEO_START',
  'VIDEO_AVG_WATCH_TIME',
]);
export type PinMetricType = z.infer<typeof pinMetricTypeSchema>;

/** `metric_types` of GET /user_account/analytics (all of them when omitted). */
export const accountMetricTypeSchema = z.enum([
  'ENGAGEMENT',
  'ENGAGEMENT_RATE',
  'IMPRESSION',
  'OUTBOUND_CLICK',
  'OUTBOUND_CLICK_RATE',
  'PIN_CLICK',
  'PIN_CLICK_RATE',
  'SAVE',
  'SAVE_RATE',
]);
export type AccountMetricType = z.infer<typeof accountMetricTypeSchema>;

/** Analytics dates are `YYYY-MM-DD`, UTC. */
export const analyticsDateSchema = z.iso.date();

const metricValuesSchema = z.record(z.string(), z.number());
const dailyMetricsSchema = z.object({
  date: analyticsDateSchema,
  /** READY is final; PROCESSING and ESTIMATE will change; BEFORE_… days are zeros, not facts. */
  data_status: z.string(),
  metrics: metricValuesSchema,
});

/** Keyed by split bucket: `all` when the data is not split. */
export const pinAnalyticsSchema = z.record(
  z.string(),
  z.object({
    daily_metrics: z.array(dailyMetricsSchema).optional(),
    summary_metrics: metricValuesSchema.optional(),
    lifetime_metrics: metricValuesSchema.optional(),
  }),
);
export type PinAnalytics = z.infer<typeof pinAnalyticsSchema>;

export const accountAnalyticsSchema = z.record(
  z.string(),
  z.object({ daily_metrics: z.array(dailyMetricsSchema).optional(), summary_metrics: metricValuesSchema.optional() }),
);
export type AccountAnalytics = z.infer<typeof accountAnalyticsSchema>;

// ---------------------------------------------------------------------------------------------------
// OAuth and errors

/**
 * `OauthAccessTokenResponse`, read into our words. Continuous refresh tokens come back on the code
 * exchange and on every refresh, and the newest one must be kept, so `refresh_token` is required.
 */
export const oauthTokenResponseSchema = z
  .object({
    access_token: z.string().min(1),
    token_type: z.string().optional(),
    expires_in: z.number().int(),
    scope: z.string(),
    refresh_token: z.string().min(1),
    refresh_token_expires_in: z.number().int().optional(),
    refresh_token_expires_at: z.number().int().optional(),
    response_type: z.string().optional(),
  })
  .transform((body) => ({
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    expiresIn: body.expires_in,
    refreshTokenExpiresIn: body.refresh_token_expires_in,
    scope: body.scope,
  }));
export type OAuthTokens = z.output<typeof oauthTokenResponseSchema>;
export type OAuthTokenBody = z.input<typeof oauthTokenResponseSchema>;

/** Every Pinterest error body: `{code, message}`; the quickstart also reads an optional `message_detail`. */
export const pinterestErrorBodySchema = z.object({
  code: z.number().int(),
  message: z.string(),
  message_detail: z.string().optional(),
});
export type PinterestErrorBody = z.infer<typeof pinterestErrorBodySchema>;
