import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { resolveScheduledAt, type ScheduledAtResult } from '../../src/domain/schedule-time';

const now = new Date('2026-01-15T12:00:00.000Z');

function at(result: ScheduledAtResult): string {
  assert.ok(result.ok, `expected a time, got ${JSON.stringify(result)}`);
  return result.at.toISOString();
}

function rejected(result: ScheduledAtResult) {
  assert.ok(!result.ok, `expected a problem, got ${JSON.stringify(result)}`);
  return result.problem;
}

describe('resolveScheduledAt', () => {
  describe('offsets', () => {
    it('takes a UTC time ending in Z as that instant', () => {
      assert.equal(at(resolveScheduledAt('2026-02-01T10:00:00Z', undefined, now)), '2026-02-01T10:00:00.000Z');
    });

    it('takes a time with a ±hh:mm offset as that instant', () => {
      assert.equal(at(resolveScheduledAt('2026-02-01T10:00:00-05:00', undefined, now)), '2026-02-01T15:00:00.000Z');
      assert.equal(at(resolveScheduledAt('2026-02-01T10:00:00+05:30', undefined, now)), '2026-02-01T04:30:00.000Z');
    });

    it('accepts minutes-only and fractional seconds', () => {
      assert.equal(at(resolveScheduledAt('2026-02-01T10:00Z', undefined, now)), '2026-02-01T10:00:00.000Z');
      assert.equal(at(resolveScheduledAt('2026-02-01T10:00:00.250+01:00', undefined, now)), '2026-02-01T09:00:00.250Z');
    });

    it('lets the offset win over a timezone given alongside it', () => {
      // 10:00Z is 05:00 in New York in February; the zone does not move the instant.
      assert.equal(at(resolveScheduledAt('2026-02-01T10:00:00Z', 'America/New_York', now)), '2026-02-01T10:00:00.000Z');
      // Even an offset the zone does not use that day: the offset names the instant.
      assert.equal(at(resolveScheduledAt('2026-07-01T09:00:00-05:00', 'America/New_York', now)), '2026-07-01T14:00:00.000Z');
    });

    it('still rejects an unknown timezone given with an offset time, with POST_TIMEZONE_INVALID', () => {
      const p = rejected(resolveScheduledAt('2026-02-01T10:00:00Z', 'Mars/Olympus_Mons', now));
      assert.equal(p.code, 'POST_TIMEZONE_INVALID');
      assert.equal(p.path, 'timezone');
    });
  });

  describe('no offset', () => {
    it('rejects a time without an offset and without a timezone with POST_TIME_INVALID', () => {
      const p = rejected(resolveScheduledAt('2026-02-01T10:00:00', undefined, now));
      assert.equal(p.code, 'POST_TIME_INVALID');
      assert.equal(p.path, 'scheduledAt');
      assert.match(p.message, /no offset/);
      assert.match(p.message, /timezone/);
    });

    it('reads a time without an offset as the wall time in the given timezone', () => {
      assert.equal(at(resolveScheduledAt('2026-02-01T09:30:00', 'America/New_York', now)), '2026-02-01T14:30:00.000Z');
      assert.equal(at(resolveScheduledAt('2026-07-01T09:30:00', 'America/New_York', now)), '2026-07-01T13:30:00.000Z');
      assert.equal(at(resolveScheduledAt('2026-07-01T09:30:00', 'Europe/Paris', now)), '2026-07-01T07:30:00.000Z');
    });

    it('rejects an unknown timezone with POST_TIMEZONE_INVALID at timezone', () => {
      const p = rejected(resolveScheduledAt('2026-02-01T10:00:00', 'Eastern Time', now));
      assert.equal(p.code, 'POST_TIMEZONE_INVALID');
      assert.equal(p.path, 'timezone');
    });

    it('rejects an unknown timezone even when the time is omitted', () => {
      assert.equal(rejected(resolveScheduledAt(undefined, 'Nowhere/City', now)).code, 'POST_TIMEZONE_INVALID');
    });
  });

  describe('daylight saving time', () => {
    it('rejects 02:30 on the spring-forward day in America/New_York: that time does not exist there', () => {
      const p = rejected(resolveScheduledAt('2026-03-08T02:30:00', 'America/New_York', now));
      assert.equal(p.code, 'POST_TIME_INVALID');
      assert.match(p.message, /does not exist in America\/New_York/);
    });

    it('accepts the last second before and the first minute after the New York gap', () => {
      assert.equal(at(resolveScheduledAt('2026-03-08T01:59:59', 'America/New_York', now)), '2026-03-08T06:59:59.000Z');
      assert.equal(at(resolveScheduledAt('2026-03-08T03:00:00', 'America/New_York', now)), '2026-03-08T07:00:00.000Z');
    });

    it('takes the earlier instant for 01:30 on the fall-back day in America/New_York (still EDT)', () => {
      assert.equal(at(resolveScheduledAt('2026-11-01T01:30:00', 'America/New_York', now)), '2026-11-01T05:30:00.000Z');
    });

    it('rejects 02:30 on the spring-forward day in Europe/Paris', () => {
      const p = rejected(resolveScheduledAt('2026-03-29T02:30:00', 'Europe/Paris', now));
      assert.equal(p.code, 'POST_TIME_INVALID');
      assert.match(p.message, /does not exist in Europe\/Paris/);
    });

    it('takes the earlier instant for 02:30 on the fall-back day in Europe/Paris (still CEST)', () => {
      assert.equal(at(resolveScheduledAt('2026-10-25T02:30:00', 'Europe/Paris', now)), '2026-10-25T00:30:00.000Z');
    });

    it('keeps the wall time as written for every existing local time (property)', () => {
      const zones = fc.constantFrom('America/New_York', 'Europe/Paris', 'Asia/Kolkata', 'Australia/Lord_Howe', 'UTC');
      const minutes = fc.integer({ min: 0, max: 300 * 24 * 60 });
      fc.assert(
        fc.property(zones, minutes, (zone, offsetMinutes) => {
          const wall = DateTime.fromISO('2026-01-16T00:00:00', { zone: 'UTC' }).plus({ minutes: offsetMinutes });
          const written = wall.toISO({ includeOffset: false, suppressMilliseconds: true }) ?? '';
          const result = resolveScheduledAt(written, zone, now);
          if (!result.ok) {
            // Only a wall time that the zone skips may be refused.
            assert.equal(result.problem.code, 'POST_TIME_INVALID');
            assert.match(result.problem.message, /does not exist/);
            return;
          }
          const back = DateTime.fromJSDate(result.at, { zone }).toISO({ includeOffset: false, suppressMilliseconds: true });
          assert.equal(back, written);
        }),
      );
    });
  });

  describe('omitted, past and far future', () => {
    it('means now when the time is omitted', () => {
      assert.equal(at(resolveScheduledAt(undefined, undefined, now)), now.toISOString());
    });

    it('accepts a time exactly at the past tolerance (60 s ago)', () => {
      assert.equal(at(resolveScheduledAt('2026-01-15T11:59:00.000Z', undefined, now)), '2026-01-15T11:59:00.000Z');
    });

    it('rejects a time one millisecond beyond the past tolerance with POST_TIME_IN_PAST', () => {
      const p = rejected(resolveScheduledAt('2026-01-15T11:58:59.999Z', undefined, now));
      assert.equal(p.code, 'POST_TIME_IN_PAST');
      assert.equal(p.path, 'scheduledAt');
    });

    it('honours a custom past tolerance', () => {
      assert.equal(
        rejected(resolveScheduledAt('2026-01-15T11:59:59.999Z', undefined, now, { pastToleranceMs: 0 })).code,
        'POST_TIME_IN_PAST',
      );
      assert.ok(resolveScheduledAt('2026-01-15T11:50:00Z', undefined, now, { pastToleranceMs: 600_000 }).ok);
    });

    it('rejects a time more than 366 days ahead with POST_TIME_INVALID', () => {
      assert.ok(resolveScheduledAt('2027-01-16T12:00:00Z', undefined, now).ok);
      const p = rejected(resolveScheduledAt('2027-01-16T12:00:00.001Z', undefined, now));
      assert.equal(p.code, 'POST_TIME_INVALID');
      assert.match(p.message, /366 days ahead/);
    });
  });

  describe('unparsable input', () => {
    for (const input of [
      'tomorrow',
      '',
      '2026-02-01',
      '2026-02-01 10:00:00Z',
      '20260201T100000Z',
      '2026-W05-1T10:00Z',
      '2026-02-01T10:00:00+25:00',
      '1769940000000',
    ]) {
      it(`rejects ${JSON.stringify(input)} with POST_TIME_INVALID`, () => {
        assert.equal(rejected(resolveScheduledAt(input, undefined, now)).code, 'POST_TIME_INVALID');
      });
    }

    it('rejects an impossible calendar date with POST_TIME_INVALID', () => {
      assert.equal(rejected(resolveScheduledAt('2026-02-30T10:00:00Z', undefined, now)).code, 'POST_TIME_INVALID');
      assert.equal(rejected(resolveScheduledAt('2026-02-30T10:00:00', 'Europe/Paris', now)).code, 'POST_TIME_INVALID');
    });

    it("names the caller's field in the problem path", () => {
      assert.equal(rejected(resolveScheduledAt('soon', undefined, now, { path: 'scheduledFor' })).path, 'scheduledFor');
    });
  });
});
