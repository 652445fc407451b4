// Pinterest's pin analytics answer → the rows pinflow stores: one per day and requested metric, with
// the day's data_status.
import type { PinAnalytics } from '../pinterest/schemas';
import { isFinalStatus, isStoredMetric, type StoredMetric } from './metrics';

export interface PinDayMetric {
  date: string;
  dataStatus: string;
  final: boolean;
  metric: StoredMetric;
  value: number;
}

/**
 * Rows of the unsplit bucket (`all`; the only bucket if Pinterest names it otherwise). A metric missing
 * from a day is not stored as 0: absent is not zero. A day listed twice keeps its last entry, so one
 * upsert never meets the same row twice.
 */
export function pinDayMetrics(report: PinAnalytics): PinDayMetric[] {
  const bucket = report.all ?? Object.values(report)[0];
  const rows = new Map<string, PinDayMetric>();
  for (const day of bucket?.daily_metrics ?? []) {
    const final = isFinalStatus(day.data_status);
    for (const [metric, value] of Object.entries(day.metrics)) {
      if (!isStoredMetric(metric) || !Number.isFinite(value)) continue;
      rows.set(`${day.date}:${metric}`, { date: day.date, dataStatus: day.data_status, final, metric, value });
    }
  }
  return [...rows.values()];
}
