import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pinDayMetrics } from '../../src/analytics/daily';
import { isFinalStatus, pinMetrics } from '../../src/analytics/metrics';

describe('the guide’s pin metrics from Pinterest’s counts', () => {
  it('maps impressions, closeups (PIN_CLICK), saves and outbound clicks, and computes the rates over the period', () => {
    const m = pinMetrics({ IMPRESSION: 800, PIN_CLICK: 40, SAVE: 16, OUTBOUND_CLICK: 8 });
    assert.deepEqual(m, {
      impressions: 800,
      closeups: 40,
      saves: 16,
      saveRate: 16 / 800,
      engagement: 64,
      engagementRate: 64 / 800,
      outboundClicks: 8,
      outboundClickRate: 8 / 800,
    });
  });

  it('defines engagement as closeups + outbound clicks + saves, as Pinterest’s spec lists engagements', () => {
    assert.equal(pinMetrics({ IMPRESSION: 10, PIN_CLICK: 3, SAVE: 2, OUTBOUND_CLICK: 1 }).engagement, 6);
  });

  it('answers null rates, not 0, for a period without impressions', () => {
    const m = pinMetrics({ IMPRESSION: 0, PIN_CLICK: 0, SAVE: 0, OUTBOUND_CLICK: 0 });
    assert.equal(m.saveRate, null);
    assert.equal(m.engagementRate, null);
    assert.equal(m.outboundClickRate, null);
  });

  it('treats READY and the BEFORE_… days as final, and PROCESSING, ESTIMATE and unknown statuses as pending', () => {
    for (const status of ['READY', 'BEFORE_PIN_CREATED', 'BEFORE_DATA_RETENTION_PERIOD', 'BEFORE_ACCOUNT_CLAIMED'])
      assert.ok(isFinalStatus(status), status);
    for (const status of ['PROCESSING', 'ESTIMATE', 'SOMETHING_NEW']) assert.ok(!isFinalStatus(status), status);
  });
});

describe('rows from Pinterest’s pin analytics answer', () => {
  it('stores one row per day and requested metric with the day’s data_status, from the `all` bucket', () => {
    const rows = pinDayMetrics({
      all: {
        daily_metrics: [
          {
            date: '2025-03-01',
            data_status: 'READY',
            metrics: { IMPRESSION: 120, PIN_CLICK: 7, SAVE: 2, OUTBOUND_CLICK: 1, SAVE_RATE: 0.016 },
          },
          { date: '2025-03-02', data_status: 'PROCESSING', metrics: { IMPRESSION: 90, PIN_CLICK: 3 } },
        ],
        summary_metrics: { IMPRESSION: 210 },
      },
    });
    assert.deepEqual(rows, [
      { date: '2025-03-01', dataStatus: 'READY', final: true, metric: 'IMPRESSION', value: 120 },
      { date: '2025-03-01', dataStatus: 'READY', final: true, metric: 'PIN_CLICK', value: 7 },
      { date: '2025-03-01', dataStatus: 'READY', final: true, metric: 'SAVE', value: 2 },
      { date: '2025-03-01', dataStatus: 'READY', final: true, metric: 'OUTBOUND_CLICK', value: 1 },
      { date: '2025-03-02', dataStatus: 'PROCESSING', final: false, metric: 'IMPRESSION', value: 90 },
      { date: '2025-03-02', dataStatus: 'PROCESSING', final: false, metric: 'PIN_CLICK', value: 3 },
    ]);
  });

  it('keeps the last entry of a day Pinterest lists twice, so one upsert never meets a row twice', () => {
    const rows = pinDayMetrics({
      all: {
        daily_metrics: [
          { date: '2025-03-01', data_status: 'PROCESSING', metrics: { IMPRESSION: 1 } },
          { date: '2025-03-01', data_status: 'READY', metrics: { IMPRESSION: 2 } },
        ],
      },
    });
    assert.deepEqual(rows, [{ date: '2025-03-01', dataStatus: 'READY', final: true, metric: 'IMPRESSION', value: 2 }]);
  });

  it('stores nothing for an answer without days', () => {
    assert.deepEqual(pinDayMetrics({}), []);
    assert.deepEqual(pinDayMetrics({ all: { summary_metrics: {} } }), []);
  });
});
