// Which days to ask Pinterest for, per pin: from the first day not yet final (or the day after the last
// one stored) to today, never before the pin was published and never beyond Pinterest's 90 days.
import { addDays, laterDay } from './dates';

/**
 * Pinterest refuses a start_date more than 90 days back. Asking for 90 days counting today (today−89)
 * keeps a request built just before midnight UTC valid when it lands after it (Airbyte sees such
 * intermittent "last 90 days" 400s).
 */
export const BACKFILL_DAYS = 90;

export interface PinToFetch {
  /** The UTC day the pin was published. */
  publishedDay: string;
  /** The earliest stored day that is not final, else the day after the last stored day; null when none is stored. */
  resumeFrom: string | null;
}

export interface FetchWindow {
  startDate: string;
  endDate: string;
}

export function oldestFetchableDay(today: string): string {
  return addDays(today, -(BACKFILL_DAYS - 1));
}

/** The days to fetch, or undefined when there is nothing to ask for (a pin published "tomorrow" by a skewed clock). */
export function fetchWindow(pin: PinToFetch, today: string): FetchWindow | undefined {
  const from = laterDay(pin.resumeFrom ?? pin.publishedDay, pin.publishedDay);
  const startDate = laterDay(from, oldestFetchableDay(today));
  return startDate > today ? undefined : { startDate, endDate: today };
}
