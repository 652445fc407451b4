// The /v1/analytics contract: query, params and answers as zod schemas (OpenAPI and the SDK are
// generated from them). Days are UTC calendar days, as Pinterest counts them.
import { z } from 'zod';

const day = z.iso.date().describe('A UTC calendar day, YYYY-MM-DD');
const rate = z.number().nullable().describe('A fraction (0.034 = 3.4 %); null when there were no impressions');

export const pinMetricsSchema = z
  .object({
    impressions: z.number().int().describe('Times the pin was on screen (Pinterest IMPRESSION)'),
    closeups: z.number().int().describe('Pin detail opens (Pinterest PIN_CLICK, formerly "closeups")'),
    saves: z.number().int().describe('Saves to a board (Pinterest SAVE)'),
    saveRate: rate.describe('saves / impressions'),
    engagement: z.number().int().describe('closeups + outbound clicks + saves (carousel swipes are not exposed per pin)'),
    engagementRate: rate.describe('engagement / impressions'),
    outboundClicks: z.number().int().describe('Clicks to the pin link (Pinterest OUTBOUND_CLICK)'),
    outboundClickRate: rate.describe('outbound clicks / impressions'),
  })
  .describe('The guide’s pin metrics over a period; rates are computed over the whole period');
export type PinMetrics = z.infer<typeof pinMetricsSchema>;

export const analyticsRangeQuerySchema = z.object({
  from: day.optional().describe('First day, inclusive (default: 29 days before `to`)'),
  to: day.optional().describe('Last day, inclusive (default: today, UTC)'),
});
export type AnalyticsRangeQuery = z.infer<typeof analyticsRangeQuerySchema>;

export const postAnalyticsParamsSchema = z.object({ postId: z.string().max(100) });
export const accountAnalyticsParamsSchema = z.object({ accountId: z.string().max(100) });

const coverage = {
  finalDays: z.number().int().describe('Days Pinterest reported as final (READY, or before the pin existed)'),
  pendingDays: z.number().int().describe('Days still PROCESSING or ESTIMATE: their numbers may change at the next refresh'),
};

export const analyticsDaySchema = z.object({
  date: day,
  dataStatus: z.string().describe('Pinterest’s data_status for the day: READY, PROCESSING, ESTIMATE, BEFORE_PIN_CREATED, …'),
  metrics: pinMetricsSchema,
});
export type AnalyticsDay = z.infer<typeof analyticsDaySchema>;

export const pinAnalyticsReportSchema = z.object({
  targetId: z.string(),
  accountId: z.string(),
  pinId: z.string().nullable().describe('null while the target is not published'),
  publishedAt: z.string().nullable(),
  lastRefreshedAt: z.string().nullable().describe('When pinflow last fetched this pin’s analytics'),
  metrics: pinMetricsSchema,
  ...coverage,
  daily: z.array(analyticsDaySchema).describe('Stored days in the range, oldest first'),
});
export type PinAnalyticsReport = z.infer<typeof pinAnalyticsReportSchema>;

export const postAnalyticsReportSchema = z.object({
  postId: z.string(),
  from: day,
  to: day,
  metrics: pinMetricsSchema.describe('Over every pin of the post'),
  pins: z.array(pinAnalyticsReportSchema),
});
export type PostAnalyticsReport = z.infer<typeof postAnalyticsReportSchema>;

export const monthlyViewersSchema = z.object({
  value: z.number().int().nullable().describe('Pinterest monthly_views of the account (null when Pinterest did not say)'),
  takenAt: z.string(),
});

export const accountAnalyticsReportSchema = z.object({
  accountId: z.string(),
  from: day,
  to: day,
  monthlyViewers: monthlyViewersSchema.nullable().describe('The latest snapshot; null before the first refresh'),
  monthlyViewersHistory: z.array(monthlyViewersSchema).describe('Snapshots taken in the range, newest first'),
  pins: z.number().int().describe('Pins with stored days in the range'),
  metrics: pinMetricsSchema.describe('Over every pin of the account'),
  ...coverage,
});
export type AccountAnalyticsReport = z.infer<typeof accountAnalyticsReportSchema>;
