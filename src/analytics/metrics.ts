// What the guide promises per pin, and where each number comes from. Pinterest's pin analytics
// (GET /v5/pins/{pin_id}/analytics) returns counts per day; pinflow stores those counts as Pinterest
// named them and computes everything else over the days asked for, because a rate of a period is not
// the sum or the mean of daily rates.
//
// | guide               | pinflow field       | source                                                           |
// |---------------------|---------------------|------------------------------------------------------------------|
// | Impressions         | `impressions`       | IMPRESSION                                                       |
// | Closeups            | `closeups`          | PIN_CLICK: Pinterest renamed closeups to pin clicks (the detail   |
// |                     |                     | view opening); the API has no CLOSEUP metric for a pin           |
// | Saves               | `saves`             | SAVE                                                             |
// | Save rate           | `saveRate`          | computed: SAVE / IMPRESSION (Pinterest's daily SAVE_RATE cannot   |
// |                     |                     | be summed over days, so it is not requested)                     |
// | Engagement          | `engagement`        | computed: PIN_CLICK + OUTBOUND_CLICK + SAVE. ENGAGEMENT is not a  |
// |                     |                     | pin metric; Pinterest's spec says "engagements include saves,    |
// |                     |                     | closeups, link clicks, and carousel card swipes", and swipes are |
// |                     |                     | not exposed per pin, so a carousel's figure is a lower bound     |
// | Engagement rate     | `engagementRate`    | computed: engagement / IMPRESSION                                |
// | Outbound clicks     | `outboundClicks`    | OUTBOUND_CLICK                                                   |
// | Outbound click rate | `outboundClickRate` | computed: OUTBOUND_CLICK / IMPRESSION (not a pin metric)         |
// | Monthly viewers     | account snapshot    | `monthly_views` of GET /v5/user_account (see db/analytics.ts)    |
// | Video views         | —                   | not collected: pinflow publishes no video pins                   |
//
// A rate over zero impressions is null: there is no ratio, and 0 would claim one.
import type { PinMetricType } from '../pinterest/schemas';
import type { PinMetrics } from './schemas';

/** The pin metrics pinflow asks Pinterest for and stores, one row per pin, day and metric. */
export const REQUESTED_PIN_METRICS = ['IMPRESSION', 'PIN_CLICK', 'SAVE', 'OUTBOUND_CLICK'] as const satisfies readonly PinMetricType[];
export type StoredMetric = (typeof REQUESTED_PIN_METRICS)[number];
export type MetricCounts = Record<StoredMetric, number>;

export function isStoredMetric(name: string): name is StoredMetric {
  return (REQUESTED_PIN_METRICS as readonly string[]).includes(name);
}

export function zeroCounts(): MetricCounts {
  return { IMPRESSION: 0, PIN_CLICK: 0, SAVE: 0, OUTBOUND_CLICK: 0 };
}

export function addCounts(a: MetricCounts, b: Partial<MetricCounts>): MetricCounts {
  return {
    IMPRESSION: a.IMPRESSION + (b.IMPRESSION ?? 0),
    PIN_CLICK: a.PIN_CLICK + (b.PIN_CLICK ?? 0),
    SAVE: a.SAVE + (b.SAVE ?? 0),
    OUTBOUND_CLICK: a.OUTBOUND_CLICK + (b.OUTBOUND_CLICK ?? 0),
  };
}

function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

/** The guide's metrics from Pinterest's counts of one day or of a period. */
export function pinMetrics(counts: MetricCounts): PinMetrics {
  const engagement = counts.PIN_CLICK + counts.OUTBOUND_CLICK + counts.SAVE;
  return {
    impressions: counts.IMPRESSION,
    closeups: counts.PIN_CLICK,
    saves: counts.SAVE,
    saveRate: rate(counts.SAVE, counts.IMPRESSION),
    engagement,
    engagementRate: rate(engagement, counts.IMPRESSION),
    outboundClicks: counts.OUTBOUND_CLICK,
    outboundClickRate: rate(counts.OUTBOUND_CLICK, counts.IMPRESSION),
  };
}

/**
 * Days Pinterest will not revise: READY, and the BEFORE_… days (before the pin existed, or before a
 * retention period), which are zeros by definition and never become READY. Everything else
 * (PROCESSING, ESTIMATE, a status we do not know yet) is stored as it came and fetched again.
 */
export function isFinalStatus(dataStatus: string): boolean {
  return dataStatus === 'READY' || dataStatus.startsWith('BEFORE_');
}
