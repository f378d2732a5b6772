import { describe, expect, it } from 'vitest';
import {
  bandSeries,
  buildChartModel,
  indexAt,
  parseRange,
  rangeStart,
  tableRows,
  toEpochSeconds,
  toValue,
} from './chart-data.ts';

const DAY = 86_400;
const NOW = 1_800_000_000; // any fixed moment: the module takes "now" as an input

describe('toValue and toEpochSeconds', () => {
  it('reads numbers and decimal strings; negative (Keepa -1), blank and junk are no value', () => {
    expect(toValue(12.5)).toBe(12.5);
    expect(toValue('34.68')).toBe(34.68);
    expect(toValue(0)).toBe(0);
    expect(toValue(-1)).toBeNull();
    expect(toValue('')).toBeNull();
    expect(toValue('abc')).toBeNull();
    expect(toValue(null)).toBeNull();
  });

  it('reads ISO dates, epoch seconds and epoch milliseconds', () => {
    expect(toEpochSeconds('2026-09-09T00:00:00.000Z')).toBe(Date.UTC(2026, 8, 9) / 1000);
    expect(toEpochSeconds(1_790_000_000)).toBe(1_790_000_000);
    expect(toEpochSeconds(1_790_000_000_123)).toBe(1_790_000_000);
    expect(toEpochSeconds('1790000000')).toBe(1_790_000_000);
    expect(toEpochSeconds('yesterday')).toBeNaN();
  });

  it('knows the ranges and falls back for anything else', () => {
    expect(rangeStart('7', NOW)).toBe(NOW - 7 * DAY);
    expect(rangeStart('all', NOW)).toBe(Number.NEGATIVE_INFINITY);
    expect(parseRange('30')).toBe('30');
    expect(parseRange(7)).toBe('7');
    expect(parseRange('365')).toBe('90');
    expect(parseRange(undefined, 'all')).toBe('all');
  });
});

describe('buildChartModel', () => {
  it('aligns every series on one sorted time axis with the range edges', () => {
    const m = buildChartModel(
      {
        buybox: [
          [NOW - 5 * DAY, 20],
          [NOW - 2 * DAY, 19],
        ],
        new_fba: [[NOW - 3 * DAY, 21]],
      },
      { range: '7', now: NOW },
    );
    expect(m.start).toBe(NOW - 7 * DAY);
    expect(m.end).toBe(NOW);
    expect(m.xs).toEqual([NOW - 7 * DAY, NOW - 5 * DAY, NOW - 3 * DAY, NOW - 2 * DAY, NOW]);
    expect(m.observed).toEqual([false, true, true, true, false]);
    // undefined = joined over (no observation there); the last price extends to now
    expect(m.draw.buybox).toEqual([undefined, 20, undefined, 19, 19]);
    expect(m.draw.new_fba).toEqual([undefined, undefined, 21, undefined, 21]);
    expect(m.value.buybox).toEqual([null, 20, 20, 19, 19]);
    expect(m.value.new_fba).toEqual([null, null, 21, 21, 21]);
  });

  it('carries the price in force before the range into its left edge (step semantics)', () => {
    const m = buildChartModel(
      {
        our_price: [
          [NOW - 40 * DAY, 15],
          [NOW - 10 * DAY, 16],
          [NOW - 1 * DAY, 17],
        ],
      },
      { range: '7', now: NOW },
    );
    expect(m.xs).toEqual([NOW - 7 * DAY, NOW - DAY, NOW]);
    expect(m.draw.our_price).toEqual([16, 17, 17]);
    expect(m.value.our_price[0]).toBe(16);
    expect(m.present.our_price).toBe(true);
  });

  it('keeps "no offer" as a gap and does not extend a series that ended with no offer', () => {
    const m = buildChartModel(
      {
        amazon: [
          [NOW - 6 * DAY, 22],
          [NOW - 4 * DAY, null],
          [NOW - 2 * DAY, -1],
        ],
      },
      { range: '7', now: NOW },
    );
    expect(m.draw.amazon).toEqual([undefined, 22, null, null, undefined]);
    expect(m.value.amazon).toEqual([null, 22, null, null, null]);
  });

  it('"all" starts at the first observation of any series', () => {
    const m = buildChartModel(
      { rank: [[NOW - 400 * DAY, 5000]], buybox: [[NOW - 100 * DAY, 9.99]] },
      { range: 'all', now: NOW },
    );
    expect(m.start).toBe(NOW - 400 * DAY);
    expect(m.xs[0]).toBe(NOW - 400 * DAY);
    expect(m.observed[0]).toBe(true);
    expect(m.draw.rank[0]).toBe(5000);
  });

  it('sorts unsorted input, drops unreadable points and tolerates absent series', () => {
    const m = buildChartModel(
      {
        buybox: [
          [NOW - DAY, '11.00'],
          [Number.NaN, 5],
          [NOW - 3 * DAY, '10.50'],
        ],
        amazon: null,
      },
      { range: '7', now: NOW },
    );
    expect(m.value.buybox.filter((v) => v !== null)).toEqual([10.5, 11, 11]);
    expect(m.present.amazon).toBe(false);
    expect(m.draw.amazon.every((v) => v === undefined)).toBe(true);
    expect(buildChartModel(null, { range: '30', now: NOW }).xs).toEqual([NOW - 30 * DAY, NOW]);
  });

  it('a point after "now" (clock skew) widens the axis instead of vanishing', () => {
    const m = buildChartModel({ buybox: [[NOW + 60, 9]] }, { range: '7', now: NOW });
    expect(m.end).toBe(NOW + 60);
    expect(m.draw.buybox.at(-1)).toBe(9);
  });

  it('gives the guard band only with a floor; a ceiling below the floor is ignored', () => {
    const base = { buybox: [[NOW - DAY, 10] as const] };
    expect(buildChartModel(base, { range: '7', now: NOW }).band).toBeNull();
    const m = buildChartModel(base, { range: '7', now: NOW, guard: { floor: '8.50', ceiling: 14 } });
    expect(m.band).toEqual({ floor: 8.5, ceiling: 14 });
    expect(bandSeries(m)).toEqual({ floor: [8.5, 8.5, 8.5], ceiling: [14, 14, 14] });
    expect(buildChartModel(base, { range: '7', now: NOW, guard: { floor: 9, ceiling: 5 } }).band).toEqual({
      floor: 9,
      ceiling: null,
    });
  });

  it('places a marker at each price change inside the range, in time order', () => {
    const changes = [
      { at: new Date((NOW - DAY) * 1000).toISOString(), from: 10, to: '9.50', reason: 'beat buy box' },
      { at: NOW - 20 * DAY, from: 11, to: 10, reason: 'outside' },
      { at: (NOW - 3 * DAY) * 1000, from: 11, to: 10, reason: 'earlier' },
      { at: NOW - 2 * DAY, from: 10, to: null, reason: 'no new price' },
    ];
    const m = buildChartModel({}, { range: '7', now: NOW, changes });
    expect(m.markers.map((k) => [k.x, k.y, k.change.reason])).toEqual([
      [NOW - 3 * DAY, 10, 'earlier'],
      [NOW - DAY, 9.5, 'beat buy box'],
    ]);
  });

  it('aligns 90 days of hourly data of 4 series that share their moments onto one axis', () => {
    const series: Record<string, [number, number][]> = {};
    for (const k of ['buybox', 'new_fba', 'new_fbm', 'our_price']) {
      series[k] = Array.from({ length: 90 * 24 }, (_, i) => [NOW - 90 * DAY + i * 3600, 10 + (i % 7)]);
    }
    const m = buildChartModel(series, { range: '90', now: NOW });
    // the start coincides with the first point; "now" is one more moment
    expect(m.xs.length).toBe(90 * 24 + 1);
    expect(m.value.our_price.at(-1)).toBe(10 + ((90 * 24 - 1) % 7));
  });
});

describe('indexAt and tableRows', () => {
  it('finds the moment in force at a time', () => {
    const xs = [10, 20, 30];
    expect(indexAt(xs, 5)).toBe(-1);
    expect(indexAt(xs, 10)).toBe(0);
    expect(indexAt(xs, 29)).toBe(1);
    expect(indexAt(xs, 99)).toBe(2);
  });

  it('lists observed moments newest first with the value in force of every series', () => {
    const m = buildChartModel(
      {
        buybox: [
          [NOW - 5 * DAY, 20],
          [NOW - 2 * DAY, 19],
        ],
        rank: [[NOW - 3 * DAY, 1200]],
      },
      { range: '7', now: NOW },
    );
    const rows = tableRows(m);
    expect(rows.map((r) => r.t)).toEqual([NOW - 2 * DAY, NOW - 3 * DAY, NOW - 5 * DAY]);
    expect(rows[0]!.values.buybox).toBe(19);
    expect(rows[0]!.values.rank).toBe(1200);
    expect(rows[0]!.observed).toMatchObject({ buybox: true, rank: false });
    expect(rows[2]!.values.rank).toBeNull();
  });
});
