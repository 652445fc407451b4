import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addDays, daysBetween } from '../../src/analytics/dates';
import { fetchWindow } from '../../src/analytics/window';

const today = '2025-06-15';

describe('the days a refresh asks Pinterest for', () => {
  it('asks a pin published last week for every day since it was published', () => {
    assert.deepEqual(fetchWindow({ publishedDay: '2025-06-08', resumeFrom: null }, today), { startDate: '2025-06-08', endDate: today });
  });

  it('backfills a pin published 100 days ago with the last 90 days, today included', () => {
    const window = fetchWindow({ publishedDay: addDays(today, -100), resumeFrom: null }, today);
    assert.ok(window);
    assert.equal(daysBetween(window.startDate, window.endDate) + 1, 90);
    assert.equal(window.startDate, addDays(today, -89));
  });

  it('starts again at the first day that was not final', () => {
    assert.deepEqual(fetchWindow({ publishedDay: '2025-05-01', resumeFrom: '2025-06-13' }, today), {
      startDate: '2025-06-13',
      endDate: today,
    });
  });

  it('after an outage, fetches every day since the last one stored, up to 90 days back', () => {
    assert.equal(fetchWindow({ publishedDay: '2025-01-01', resumeFrom: '2025-05-01' }, today)?.startDate, '2025-05-01');
    assert.equal(fetchWindow({ publishedDay: '2024-01-01', resumeFrom: '2025-01-01' }, today)?.startDate, addDays(today, -89));
  });

  it('never asks for days before the pin was published', () => {
    assert.equal(fetchWindow({ publishedDay: '2025-06-10', resumeFrom: '2025-06-01' }, today)?.startDate, '2025-06-10');
  });

  it('asks for nothing when every day up to today is final', () => {
    assert.equal(fetchWindow({ publishedDay: '2025-06-01', resumeFrom: '2025-06-16' }, today), undefined);
  });

  it('stays inside Pinterest’s rule that end_date is at most 90 days after start_date', () => {
    const window = fetchWindow({ publishedDay: '2020-01-01', resumeFrom: null }, today)!;
    assert.ok(daysBetween(window.startDate, window.endDate) <= 90);
  });
});
