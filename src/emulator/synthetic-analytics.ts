// Synthetic analytics, the same on every run: a day's counts are a pure function of the subject (a pin id,
// or a user id for account analytics) and the UTC date, so a test can compute what it expects.
//
//   w0…w7 = the eight big-endian uint32 words of sha256("<subject>:<YYYY-MM-DD>")
//   IMPRESSION = 40 + w0 mod 960          PIN_CLICK = w1 mod (⌊IMPRESSION/8⌋ + 1)
//   OUTBOUND_CLICK = w2 mod (⌊PIN_CLICK/2⌋ + 1)   SAVE = w3 mod (⌊IMPRESSION/15⌋ + 1)
//   TOTAL_COMMENTS = w4 mod 3   TOTAL_REACTIONS = w5 mod 8   USER_FOLLOW = w6 mod 3   PROFILE_VISIT = w7 mod 6
//   video metrics = 0 (the emulator makes image pins only)
//   ENGAGEMENT = PIN_CLICK + OUTBOUND_CLICK + SAVE + TOTAL_REACTIONS + TOTAL_COMMENTS
//   …_RATE = metric / IMPRESSION over the same days, rounded to 6 decimals
//
// A day's data_status: BEFORE_PIN_CREATED before the pin existed (metrics 0), PROCESSING for today and
// yesterday (UTC), READY for anything older.
import { createHash } from 'node:crypto';
import type { AccountAnalytics, PinAnalytics } from '../pinterest/schemas';

const COUNTS = [
  'IMPRESSION',
  'PIN_CLICK',
  'OUTBOUND_CLICK',
  'SAVE',
  'TOTAL_COMMENTS',
  'TOTAL_REACTIONS',
  'USER_FOLLOW',
  'PROFILE_VISIT',
  'VIDEO_MRC_VIEW',
  'VIDEO_10S_VIEW',
  'QUARTILE_95_PERCENT_VIEW',
  'VIDEO_V50_WATCH_TIME',
  'VIDEO_START',
] as const;
type CountMetric = (typeof COUNTS)[number];
export type Counts = Record<CountMetric, number>;

/** Pinterest keeps 90 days: start_date no older than that, and at most 90 days from start to end. */
export const ANALYTICS_WINDOW_DAYS = 90;
const DAY_MS = 86_400_000;

export function syntheticCounts(subjectId: string, date: string): Counts {
  const digest = createHash('sha256').update(`${subjectId}:${date}`).digest();
  const w = (i: number): number => digest.readUInt32BE(i * 4);
  const impressions = 40 + (w(0) % 960);
  const pinClicks = w(1) % (Math.floor(impressions / 8) + 1);
  return {
    IMPRESSION: impressions,
    PIN_CLICK: pinClicks,
    OUTBOUND_CLICK: w(2) % (Math.floor(pinClicks / 2) + 1),
    SAVE: w(3) % (Math.floor(impressions / 15) + 1),
    TOTAL_COMMENTS: w(4) % 3,
    TOTAL_REACTIONS: w(5) % 8,
    USER_FOLLOW: w(6) % 3,
    PROFILE_VISIT: w(7) % 6,
    VIDEO_MRC_VIEW: 0,
    VIDEO_10S_VIEW: 0,
    QUARTILE_95_PERCENT_VIEW: 0,
    VIDEO_V50_WATCH_TIME: 0,
    VIDEO_START: 0,
  };
}

const zeroCounts = (): Counts => Object.fromEntries(COUNTS.map((name) => [name, 0])) as Counts;

function addCounts(a: Counts, b: Counts): Counts {
  return Object.fromEntries(COUNTS.map((name) => [name, a[name] + b[name]])) as Counts;
}

const rate = (part: number, whole: number): number => (whole === 0 ? 0 : Math.round((part / whole) * 1e6) / 1e6);

/** The value of any metric Pinterest names, from the counts of one day or of a period. */
export function metricValue(counts: Counts, metric: string): number {
  const engagement = counts.PIN_CLICK + counts.OUTBOUND_CLICK + counts.SAVE + counts.TOTAL_REACTIONS + counts.TOTAL_COMMENTS;
  switch (metric) {
    case 'ENGAGEMENT':
      return engagement;
    case 'ENGAGEMENT_RATE':
      return rate(engagement, counts.IMPRESSION);
    case 'SAVE_RATE':
      return rate(counts.SAVE, counts.IMPRESSION);
    case 'PIN_CLICK_RATE':
      return rate(counts.PIN_CLICK, counts.IMPRESSION);
    case 'OUTBOUND_CLICK_RATE':
      return rate(counts.OUTBOUND_CLICK, counts.IMPRESSION);
    case 'VIDEO_AVG_WATCH_TIME':
      return 0;
    default:
      return metric in counts ? counts[metric as CountMetric] : 0;
  }
}

const isCount = (metric: string): metric is CountMetric => (COUNTS as readonly string[]).includes(metric);

export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function dayNumber(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

function daysFrom(start: string, end: string): string[] {
  const days: string[] = [];
  for (let day = dayNumber(start); day <= dayNumber(end); day++) days.push(utcDate(day * DAY_MS));
  return days;
}

/** Why Pinterest would refuse this window, or undefined when it is fine. */
export function analyticsWindowProblem(startDate: string, endDate: string, today: string): string | undefined {
  if (dayNumber(endDate) < dayNumber(startDate)) return 'end_date must not be before start_date.';
  if (dayNumber(today) - dayNumber(startDate) > ANALYTICS_WINDOW_DAYS) return 'You can only get data from the last 90 days.';
  if (dayNumber(endDate) - dayNumber(startDate) > ANALYTICS_WINDOW_DAYS) return 'end_date cannot be more than 90 days after start_date.';
  return undefined;
}

export function dataStatus(date: string, today: string, createdDate?: string): string {
  if (createdDate !== undefined && dayNumber(date) < dayNumber(createdDate)) return 'BEFORE_PIN_CREATED';
  return dayNumber(today) - dayNumber(date) >= 2 ? 'READY' : 'PROCESSING';
}

interface Report {
  subjectId: string;
  startDate: string;
  endDate: string;
  today: string;
  metrics: readonly string[];
  /** For pins: days before it are zeros. */
  createdDate?: string;
}

/** Days from start to end, but not past today: there is no data for the future. */
function dailyReport(report: Report) {
  const last = dayNumber(report.endDate) > dayNumber(report.today) ? report.today : report.endDate;
  let total = zeroCounts();
  const daily = daysFrom(report.startDate, last).map((date) => {
    const status = dataStatus(date, report.today, report.createdDate);
    const counts = status === 'BEFORE_PIN_CREATED' ? zeroCounts() : syntheticCounts(report.subjectId, date);
    total = addCounts(total, counts);
    return { date, data_status: status, metrics: pick(counts, report.metrics) };
  });
  return { daily_metrics: daily, summary_metrics: pick(total, report.metrics) };
}

function pick(counts: Counts, metrics: readonly string[]): Record<string, number> {
  return Object.fromEntries(metrics.map((metric) => [metric, metricValue(counts, metric)]));
}

export function pinAnalyticsReport(report: Report & { createdDate: string }): PinAnalytics {
  let lifetime = zeroCounts();
  for (const date of daysFrom(report.createdDate, report.today)) lifetime = addCounts(lifetime, syntheticCounts(report.subjectId, date));
  const lifetimeMetrics = Object.fromEntries(report.metrics.filter(isCount).map((metric) => [metric, lifetime[metric]]));
  return { all: { ...dailyReport(report), lifetime_metrics: lifetimeMetrics } };
}

export function accountAnalyticsReport(report: Report): AccountAnalytics {
  return { all: dailyReport(report) };
}
