import { describe, expect, it } from 'vitest';
import { gs1CheckDigit, normaliseBarcode, SCIENTIFIC_HINT } from './barcode.ts';

describe('normaliseBarcode', () => {
  it('accepts valid EAN-8, UPC-A, EAN-13 and GTIN-14', () => {
    expect(normaliseBarcode('96385074')).toEqual({ ok: true, value: '96385074' });
    expect(normaliseBarcode('036000291452')).toEqual({ ok: true, value: '036000291452' });
    expect(normaliseBarcode('4006381333931')).toEqual({ ok: true, value: '4006381333931' });
    expect(normaliseBarcode('10012345678902')).toEqual({ ok: true, value: '10012345678902' });
  });

  it('restores leading zeros a spreadsheet dropped', () => {
    // UPC-A 036000291452 stored as a number
    expect(normaliseBarcode('36000291452')).toEqual({ ok: true, value: '036000291452' });
    expect(normaliseBarcode('012345678905'.replace(/^0/, ''))).toEqual({ ok: true, value: '012345678905' });
  });

  it('accepts integral numeric exports, spaces and the text apostrophe', () => {
    expect(normaliseBarcode('4006381333931.0')).toEqual({ ok: true, value: '4006381333931' });
    expect(normaliseBarcode('4006381333931,00')).toEqual({ ok: true, value: '4006381333931' });
    expect(normaliseBarcode("'036000291452")).toEqual({ ok: true, value: '036000291452' });
    expect(normaliseBarcode('4 006381 333931')).toEqual({ ok: true, value: '4006381333931' });
    expect(normaliseBarcode('  ')).toEqual({ ok: true, value: null });
  });

  it('rejects a wrong check digit naming the expected one', () => {
    expect(normaliseBarcode('4006381333932')).toEqual({
      ok: false,
      reason: 'barcode check digit is wrong (expected 1)',
    });
  });

  it('rejects Excel scientific notation with a hint', () => {
    expect(normaliseBarcode('4.00638E+12')).toEqual({ ok: false, reason: SCIENTIFIC_HINT });
    expect(normaliseBarcode('4,00638E+12')).toEqual({ ok: false, reason: SCIENTIFIC_HINT });
    expect(SCIENTIFIC_HINT).toMatch(/format the column as text/);
  });

  it('rejects non-digits and impossible lengths', () => {
    expect(normaliseBarcode('ABC123')).toEqual({ ok: false, reason: 'barcode must contain digits only' });
    expect(normaliseBarcode('4006381333931.5').ok).toBe(false);
    expect(normaliseBarcode('1234567')).toEqual({
      ok: false,
      reason: 'barcode has 7 digits (expected 8, 12, 13 or 14)',
    });
    expect(normaliseBarcode('123456789012345').ok).toBe(false);
  });

  it('computes GS1 check digits', () => {
    expect(gs1CheckDigit('400638133393')).toBe(1);
    expect(gs1CheckDigit('03600029145')).toBe(2);
    expect(gs1CheckDigit('9638507')).toBe(4);
  });
});
