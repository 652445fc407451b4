// When a post is due: the caller's time (with an offset, or a wall time in an IANA zone) → one instant.
// Timezone bugs are what scheduler users complain about most, so nothing here guesses: a time without an
// offset needs a zone, a wall time that does not exist is refused, and a past time is refused.
import { DateTime, IANAZone } from 'luxon';
import { problem, type Problem } from './errors';

export type ScheduledAtResult = { ok: true; at: Date } | { ok: false; problem: Problem };

export interface ScheduleTimeOptions {
  /** How far in the past a time may be and still mean "now": clocks drift and requests take time. */
  pastToleranceMs?: number;
  /** How far ahead a post may be scheduled. */
  maxAheadMs?: number;
  /** The caller's name for the time field (`scheduledFor` or `scheduledAt`), used in problem paths. */
  path?: string;
  /** The caller's name for the zone field, used in problem paths. */
  timezonePath?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_PAST_TOLERANCE_MS = 60_000;
/**
 * A year ahead (366 days, so any calendar year fits). Further is almost always a typo (2062 for 2026), and
 * the account's token, boards and links are unlikely to still be valid by then.
 */
export const DEFAULT_MAX_AHEAD_MS = 366 * DAY_MS;

/**
 * Extended ISO 8601 date-time, seconds and fraction optional; the offset is optional here only so that a
 * missing one can be reported precisely. Real offsets lie within ±14:00. Luxon alone would also accept
 * date-only, week and ordinal dates, which are too easy to get wrong for a schedule.
 */
const isoDateTime = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?<offset>[Zz]|[+-](?:0\d|1[0-4]):?[0-5]\d)?$/;

/**
 * Resolves the time a post is due.
 *
 * - Omitted: now.
 * - With an offset (`Z` or `±hh:mm`): that instant. If a `timezone` is given too, the offset wins: an
 *   offset names one exact instant, and clients commonly send `toISOString()` (UTC) along with the user's
 *   zone for display. The zone is still checked to be a real IANA zone.
 * - Without an offset: rejected unless `timezone` is given; then it is the wall time in that zone.
 *   A wall time skipped by a spring-forward change does not exist and is rejected (never shifted);
 *   a wall time repeated by a fall-back change means its earlier instant (the first time the clock
 *   shows it, i.e. still on daylight time).
 * - More than `pastToleranceMs` before `now`: POST_TIME_IN_PAST. More than `maxAheadMs` after `now`:
 *   POST_TIME_INVALID.
 */
export function resolveScheduledAt(
  input: string | undefined,
  timezone: string | undefined,
  now: Date,
  options: ScheduleTimeOptions = {},
): ScheduledAtResult {
  const path = options.path ?? 'scheduledAt';
  const timezonePath = options.timezonePath ?? 'timezone';
  if (timezone !== undefined && !IANAZone.isValidZone(timezone)) {
    return fail(
      'POST_TIMEZONE_INVALID',
      `${JSON.stringify(timezone)} is not an IANA time zone name (e.g. "America/New_York").`,
      timezonePath,
    );
  }
  if (input === undefined) return { ok: true, at: now };

  const parsed = parseInstant(input, timezone, path);
  if (!parsed.ok) return parsed;
  return checkWindow(parsed.at, input, now, path, options);
}

function parseInstant(input: string, timezone: string | undefined, path: string): ScheduledAtResult {
  const match = isoDateTime.exec(input);
  if (!match) {
    return fail('POST_TIME_INVALID', `${JSON.stringify(input)} is not an ISO 8601 date-time such as "2026-03-01T09:30:00-05:00".`, path);
  }
  if (match.groups?.offset !== undefined) {
    const dt = DateTime.fromISO(input, { setZone: true });
    if (!dt.isValid)
      return fail(
        'POST_TIME_INVALID',
        `${JSON.stringify(input)} is not a valid date-time (${dt.invalidExplanation ?? dt.invalidReason}).`,
        path,
      );
    return { ok: true, at: dt.toJSDate() };
  }
  if (timezone === undefined) {
    return fail(
      'POST_TIME_INVALID',
      `${JSON.stringify(input)} has no offset: add one ("Z" or "±hh:mm") or pass "timezone" with an IANA zone name.`,
      path,
    );
  }
  return parseWallTime(input, timezone, path);
}

/** A wall-clock time in an IANA zone → its instant, refusing times that do not exist there. */
function parseWallTime(input: string, timezone: string, path: string): ScheduledAtResult {
  // The same digits read in UTC keep the wall clock exactly as written; luxon moves a zoned time out of a gap.
  const written = DateTime.fromISO(input, { zone: 'UTC' });
  if (!written.isValid)
    return fail(
      'POST_TIME_INVALID',
      `${JSON.stringify(input)} is not a valid date-time (${written.invalidExplanation ?? written.invalidReason}).`,
      path,
    );
  const zoned = DateTime.fromISO(input, { zone: timezone });
  if (!sameWallClock(written, zoned)) {
    return fail(
      'POST_TIME_INVALID',
      `${input} does not exist in ${timezone}: the clocks skip over it (daylight saving time starts). ` +
        `Pick a time outside the gap, e.g. ${zoned.toISO({ suppressMilliseconds: true })}.`,
      path,
    );
  }
  // Luxon picks the later of two possible instants in a fall-back overlap; we promise the earlier one.
  const instants = zoned.getPossibleOffsets().map((candidate) => candidate.toMillis());
  return { ok: true, at: new Date(Math.min(zoned.toMillis(), ...instants)) };
}

function sameWallClock(a: DateTime, b: DateTime): boolean {
  return a.toISO({ includeOffset: false }) === b.toISO({ includeOffset: false });
}

function checkWindow(at: Date, input: string, now: Date, path: string, options: ScheduleTimeOptions): ScheduledAtResult {
  const pastToleranceMs = options.pastToleranceMs ?? DEFAULT_PAST_TOLERANCE_MS;
  const maxAheadMs = options.maxAheadMs ?? DEFAULT_MAX_AHEAD_MS;
  const ahead = at.getTime() - now.getTime();
  if (ahead < -pastToleranceMs) {
    return fail(
      'POST_TIME_IN_PAST',
      `${input} (${at.toISOString()}) is ${describeDuration(-ahead)} in the past; omit the time to publish now.`,
      path,
    );
  }
  if (ahead > maxAheadMs) {
    return fail('POST_TIME_INVALID', `${input} (${at.toISOString()}) is more than ${Math.round(maxAheadMs / DAY_MS)} days ahead.`, path);
  }
  return { ok: true, at };
}

function describeDuration(ms: number): string {
  if (ms < 2 * 60_000) return `${Math.round(ms / 1000)} seconds`;
  if (ms < 2 * 60 * 60_000) return `${Math.round(ms / 60_000)} minutes`;
  if (ms < 2 * DAY_MS) return `${Math.round(ms / (60 * 60_000))} hours`;
  return `${Math.round(ms / DAY_MS)} days`;
}

function fail(code: Problem['code'], message: string, path: string): ScheduledAtResult {
  return { ok: false, problem: problem(code, message, { path }) };
}
