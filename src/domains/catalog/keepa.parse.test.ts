import { describe, expect, it } from 'vitest';
import { exportKey, toCsv } from './keepa.export.ts';
import {
  formatMinor,
  keepaMinutesToMs,
  mergeSteps,
  msToKeepaMinutes,
  type ParsedProduct,
  parseProduct,
  readSeries,
  windowed,
} from './keepa.parse.ts';

const km = (iso: string) => msToKeepaMinutes(Date.parse(iso));
const ms = (iso: string) => Date.parse(iso);
const WINDOW = { windowStartMs: ms('2026-09-01T00:00:00Z'), minorDigits: 2 };

function csv(series: Record<number, number[]>): Array<number[] | null> {
  const out: Array<number[] | null> = Array.from({ length: 36 }, () => null);
  for (const [i, s] of Object.entries(series)) out[Number(i)] = s;
  return out;
}

function ok(raw: unknown, opts = WINDOW): ParsedProduct {
  const r = parseProduct(raw, opts);
  if (r.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r.product;
}

describe('Keepa time', () => {
  it('is minutes since 2011-01-01 UTC', () => {
    expect(keepaMinutesToMs(0)).toBe(ms('2011-01-01T00:00:00Z'));
    // the example of Keepa's Product.csv documentation
    expect(keepaMinutesToMs(411180)).toBe(1318510800000);
    expect(msToKeepaMinutes(1318510800000)).toBe(411180);
    expect(msToKeepaMinutes(ms('2026-11-28T10:00:59Z'))).toBe(km('2026-11-28T10:00:00Z'));
  });
});

describe('csv series', () => {
  it('reads pairs, with -1 as "none"', () => {
    expect(readSeries([100, 4900, 160, -1], false)).toEqual([
      { at: keepaMinutesToMs(100), value: 4900 },
      { at: keepaMinutesToMs(160), value: null },
    ]);
  });

  it('reads buy box triples as price + shipping, a negative shipping counting as 0', () => {
    expect(readSeries([100, 1999, 0, 200, 1899, 250, 300, -1, -1, 400, 2000, -1], true)).toEqual([
      { at: keepaMinutesToMs(100), value: 1999 },
      { at: keepaMinutesToMs(200), value: 2149 },
      { at: keepaMinutesToMs(300), value: null },
      { at: keepaMinutesToMs(400), value: 2000 },
    ]);
  });

  it('treats a missing series as absent and a broken one as malformed', () => {
    expect(readSeries(null, false)).toBeNull();
    expect(readSeries(undefined, true)).toBeNull();
    expect(() => readSeries([100, 1999, 0, 200], true)).toThrow(/shape/);
    expect(() => readSeries([100, '1999'], false)).toThrow(/integer/);
    expect(() => readSeries('100,1999', false)).toThrow(/shape/);
  });

  it('keeps the window plus the step in force when it opens', () => {
    const pts = [1, 5, 9, 12].map((at) => ({ at, value: at }));
    expect(windowed(pts, 6).map((p) => p.at)).toEqual([5, 9, 12]);
    expect(windowed(pts, 0).map((p) => p.at)).toEqual([1, 5, 9, 12]);
    expect(windowed(pts, 20).map((p) => p.at)).toEqual([12]);
    expect(windowed([], 5)).toEqual([]);
  });

  it('merges step series into one row per change, carrying the others forward', () => {
    const rows = mergeSteps({
      a: [
        { at: 10, value: 1 },
        { at: 30, value: null },
      ],
      b: [{ at: 20, value: 7 }],
      c: null,
    });
    expect(rows).toEqual([
      { at: 10, a: 1, b: null, c: null },
      { at: 20, a: 1, b: 7, c: null },
      { at: 30, a: null, b: 7, c: null },
    ]);
  });

  it('formats minor units without floats', () => {
    expect(formatMinor(4999, 2)).toBe('49.99');
    expect(formatMinor(5, 2)).toBe('0.05');
    expect(formatMinor(1234, 3)).toBe('1.234');
    expect(formatMinor(4900, 0)).toBe('4900');
    expect(formatMinor(45, 1)).toBe('4.5');
  });
});

describe('parseProduct', () => {
  const product = {
    asin: 'B0TESTAAAA',
    title: ' Wooden Train ',
    brand: 'Acme',
    rootCategory: 100,
    categoryTree: [
      { catId: 100, name: 'Toys' },
      { catId: 101, name: 'Trains' },
    ],
    packageWeight: 1234,
    packageLength: 305,
    packageWidth: 200,
    packageHeight: 0,
    eanList: ['4006381333931', '4006381333931', 'not-a-code'],
    upcList: ['036000291452'],
    csv: csv({
      18: [
        km('2026-07-01T00:00Z'),
        1500,
        0, // before the window, replaced before it opens: dropped
        km('2026-08-15T00:00Z'),
        1999,
        0, // in force when the window opens: kept
        km('2026-11-10T00:00Z'),
        1899,
        250,
        km('2026-11-20T00:00Z'),
        -1,
        -1,
        km('2026-11-25T00:00Z'),
        2099,
        0,
      ],
      3: [km('2026-11-01T00:00Z'), 5000, km('2026-11-20T00:00Z'), -1],
      11: [km('2026-11-10T00:00Z'), 4],
      10: [km('2026-11-01T00:00Z'), 2199],
      0: [km('2026-11-01T00:00Z'), 2500, km('2026-11-25T00:00Z'), -1],
    }),
  };

  it('maps fields, barcodes and windowed buy box points', () => {
    const p = ok(product);
    expect(p).toMatchObject({
      asin: 'B0TESTAAAA',
      title: 'Wooden Train',
      brand: 'Acme',
      category: 'Toys',
      weightKg: '1.234',
      lengthCm: '30.50',
      widthCm: '20.00',
      heightCm: null,
    });
    expect(p.identifiers).toEqual([
      { kind: 'EAN', value: '4006381333931' },
      { kind: 'UPC', value: '036000291452' },
    ]);
    expect(p.buybox).toEqual([
      { at: ms('2026-08-15T00:00Z'), price: '19.99' },
      { at: ms('2026-11-10T00:00Z'), price: '21.49' },
      { at: ms('2026-11-25T00:00Z'), price: '20.99' },
    ]);
    expect(p.buyboxNow).toEqual({ at: ms('2026-11-25T00:00Z'), price: '20.99' });
  });

  it('builds metric rows at every change of rank, offers, FBA price and Amazon', () => {
    const p = ok(product);
    expect(
      p.metrics.map((m) => [
        new Date(m.at).toISOString().slice(0, 10),
        m.salesRank,
        m.offersNew,
        m.fbaPrice,
        m.amazonOnListing,
      ]),
    ).toEqual([
      ['2026-11-01', 5000, null, '21.99', true],
      ['2026-11-10', 5000, 4, '21.99', true],
      ['2026-11-20', null, 4, '21.99', true],
      ['2026-11-25', null, 4, '21.99', false],
    ]);
  });

  it('falls back to the deepest category, reads ratings and whole-yen prices', () => {
    const p = ok(
      {
        asin: 'B0TESTAAAB',
        title: 'x',
        rootCategory: 999,
        categoryTree: [
          { catId: 1, name: 'Home' },
          { catId: 2, name: 'Lamps' },
        ],
        csv: csv({
          18: [km('2026-11-01T00:00Z'), 4900, 0],
          16: [km('2026-11-01T00:00Z'), 45],
          17: [km('2026-11-01T00:00Z'), 120],
        }),
      },
      { ...WINDOW, minorDigits: 0 },
    );
    expect(p.category).toBe('Lamps');
    expect(p.buybox).toEqual([{ at: ms('2026-11-01T00:00Z'), price: '4900' }]);
    expect(p.metrics[0]).toMatchObject({
      rating: '4.5',
      reviews: 120,
      amazonOnListing: null,
      salesRank: null,
    });
  });

  it('handles a product with no buy box series and a current "no buy box"', () => {
    const none = ok({ asin: 'B0TESTAAAC', title: 'x', csv: csv({ 3: [km('2026-11-01T00:00Z'), 10] }) });
    expect(none.buybox).toEqual([]);
    expect(none.buyboxNow).toBeNull();
    const gone = ok({ asin: 'B0TESTAAAD', title: 'x', csv: csv({ 18: [km('2026-11-01T00:00Z'), -1, -1] }) });
    expect(gone.buybox).toEqual([]);
    expect(gone.buyboxNow).toEqual({ at: ms('2026-11-01T00:00Z'), price: null });
  });

  it('tells unknown ASINs from malformed entries', () => {
    expect(parseProduct({ asin: 'B0TESTAAAE', title: null, csv: null }, WINDOW)).toEqual({
      kind: 'unknown',
      asin: 'B0TESTAAAE',
    });
    expect(parseProduct({ asin: 'B0TESTAAAE', productType: 4, title: 'x' }, WINDOW).kind).toBe('unknown');
    expect(parseProduct({ asin: 'B0TESTAAAF', title: 'x', csv: 'oops' }, WINDOW)).toMatchObject({
      kind: 'invalid',
      asin: 'B0TESTAAAF',
    });
    expect(parseProduct({ asin: 'B0TESTAAAG', title: 'x', csv: csv({ 18: [1, 2] }) }, WINDOW)).toMatchObject({
      kind: 'invalid',
      reason: expect.stringMatching(/shape/),
    });
    expect(parseProduct({ title: 'x' }, WINDOW)).toMatchObject({ kind: 'invalid', asin: '' });
    expect(parseProduct('nope', WINDOW)).toMatchObject({ kind: 'invalid' });
  });
});

describe('CSV export', () => {
  it('is keyed by the run day and run id', () => {
    expect(exportKey('r-1', new Date('2026-03-04T23:59:00Z'))).toBe('keepa/2026/03/04/r-1.csv');
  });

  it('quotes cells and defuses spreadsheet formulas', () => {
    const text = toCsv([
      {
        asin: 'B0TESTAAAA',
        status: 'ok',
        title: 'Big, "red" ball',
        eans: ['1', '2'],
        amazon_on_listing: false,
      },
      { asin: 'B0TESTAAAB', status: 'unknown', title: '=HYPERLINK("x")', error: 'not known' },
    ]);
    const lines = text.split('\r\n');
    expect(lines[0]).toMatch(/^asin,status,title,/);
    expect(lines[1]).toBe('B0TESTAAAA,ok,"Big, ""red"" ball",,,,,,,,,false,1 2,,,,');
    expect(lines[2]).toContain(`"'=HYPERLINK(""x"")"`);
    expect(lines[3]).toBe('');
  });
});
