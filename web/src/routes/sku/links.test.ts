import { describe, expect, it } from 'vitest';
import { amazonUrl, keepaUrl } from './links.ts';
import { eanOf, seriesOf } from './types.ts';

describe('marketplace links', () => {
  it('points Amazon and Keepa at the marketplace of the figures', () => {
    expect(amazonUrl('B08C6LPX2M', 'DE')).toBe('https://www.amazon.de/dp/B08C6LPX2M');
    expect(amazonUrl('B08C6LPX2M', 'uk')).toBe('https://www.amazon.co.uk/dp/B08C6LPX2M');
    expect(keepaUrl('B08C6LPX2M', 'DE')).toBe('https://keepa.com/#!product/3-B08C6LPX2M');
    expect(keepaUrl('B08C6LPX2M', 'IT')).toBe('https://keepa.com/#!product/8-B08C6LPX2M');
  });

  it('gives no link rather than a wrong one for a marketplace it does not know', () => {
    expect(amazonUrl('B08C6LPX2M', 'XX')).toBeNull();
    expect(keepaUrl('B08C6LPX2M', null)).toBeNull();
    expect(keepaUrl('B08C6LPX2M', 'PL')).toBeNull();
  });
});

describe('SKU detail readers', () => {
  const base = { asin: 'B08C6LPX2M', product: null, offers: [], fees: null };

  it('uses the server series when sent, else the buy box history', () => {
    const series = { buybox: [[1, 2]] as [number, number][] };
    expect(seriesOf({ ...base, series })).toBe(series);
    expect(
      seriesOf({ ...base, buybox: [{ captured_at: '2026-09-09T00:00:00.000Z', price: 25.99 }] }),
    ).toEqual({ buybox: [[Date.UTC(2026, 8, 9) / 1000, 25.99]] });
    expect(seriesOf({ ...base, series: {} }).buybox).toEqual([]);
  });

  it("takes the product's EAN, else a vendor's barcode", () => {
    const offer = { vendor_id: 1, vendor_name: 'V', sku: 'S', asin: 'B08C6LPX2M', barcode: '5939195235223' };
    expect(eanOf({ ...base, offers: [offer] })).toBe('5939195235223');
    expect(
      eanOf({
        ...base,
        offers: [offer],
        product: { asin: 'B08C6LPX2M', identifiers: [{ kind: 'ean', value: '4006381333931' }] },
      }),
    ).toBe('4006381333931');
  });
});
