import { describe, expect, it } from 'vitest';
import { CATALOG, columnKey } from './catalog.ts';
import { isPlaceholder, parseAmount, parseCurrency, parseInteger } from './values.ts';

const amount = (t: string, mark: '.' | ',', numeric = false) => parseAmount(t, mark, numeric, 10);

describe('amounts', () => {
  it('settles only the ambiguous shape by the marketplace convention', () => {
    expect(amount('1.234', ',')).toBe('1234');
    expect(amount('1.234', '.')).toBe('1.234');
    expect(amount('1,234', '.')).toBe('1234');
    expect(amount('1,234', ',')).toBe('1.234');
    expect(amount('0,125', '.')).toBe('0.125');
  });

  it('reads the unambiguous forms of either convention anywhere', () => {
    for (const mark of ['.', ','] as const) {
      expect(amount('3.396,63', mark)).toBe('3396.63');
      expect(amount('1,234.56', mark)).toBe('1234.56');
      expect(amount('12,5', mark)).toBe('12.5');
      expect(amount('12.50', mark)).toBe('12.5');
      expect(amount('-5.40', mark)).toBe('-5.4');
      expect(amount('1.234.567', mark)).toBe('1234567');
    }
  });

  it('strips currency symbols and codes', () => {
    expect(amount('€12,50', ',')).toBe('12.5');
    expect(amount('12,50 €', ',')).toBe('12.5');
    expect(amount('$1,299.00', '.')).toBe('1299');
    expect(amount('-$3.00', '.')).toBe('-3');
    expect(amount('$-3.00', '.')).toBe('-3');
    expect(amount('EUR 7.5', '.')).toBe('7.5');
    expect(amount('£0.99', '.')).toBe('0.99');
  });

  it('reads numeric XLSX cells as machine numbers', () => {
    expect(amount('1.234', ',', true)).toBe('1.234');
  });

  it('rejects what is not an amount, or too large for the column', () => {
    expect(amount('abc', '.')).toEqual({ reason: 'not a number' });
    expect(amount('12 apples', '.')).toEqual({ reason: 'not a number' });
    expect(amount('1.5E+3', '.')).toEqual({ reason: expect.stringContaining('scientific notation') });
    expect(amount('12345678901', '.')).toEqual({
      reason: 'too large (more than 10 digits before the decimal point)',
    });
    expect(amount('-1234567890.99', '.')).toBe('-1234567890.99');
  });
});

describe('whole numbers', () => {
  it('accepts negatives and thousands, rejects fractions', () => {
    expect(parseInteger('-3', ',', false)).toBe('-3');
    expect(parseInteger('24', ',', false)).toBe('24');
    expect(parseInteger('007', ',', false)).toBe('7');
    expect(parseInteger('-0', ',', false)).toBe('0');
    expect(parseInteger('1.000', ',', false)).toBe('1000');
    expect(parseInteger('1,000', '.', false)).toBe('1000');
    expect(parseInteger('12,0', ',', false)).toBe('12');
    expect(parseInteger('3', '.', true)).toBe('3');
    expect(parseInteger('1.5', '.', false)).toEqual({ reason: 'not a whole number' });
    expect(parseInteger('1.5', '.', true)).toEqual({ reason: 'not a whole number' });
    expect(parseInteger('two', '.', false)).toEqual({ reason: 'not a whole number' });
    expect(parseInteger('3000000000', '.', false)).toEqual({ reason: 'too large for a whole number' });
    expect(parseInteger('2147483648', '.', false)).toEqual({ reason: 'too large for a whole number' });
    expect(parseInteger('-2147483648', '.', false)).toBe('-2147483648');
  });
});

describe('currencies, placeholders, enums and header keys', () => {
  it('normalises currency codes', () => {
    expect(parseCurrency('eur')).toBe('EUR');
    expect(parseCurrency('€')).toBe('EUR');
    expect(parseCurrency('US$')).toBe('USD');
    expect(parseCurrency('euros!')).toEqual({ reason: 'not a currency code (e.g. EUR, USD, GBP)' });
  });

  it("treats Amazon's `--` and N/A as no value", () => {
    for (const t of ['--', '-', 'N/A', 'n/a']) expect(isPlaceholder(t)).toBe(true);
    for (const t of ['-3', '0', 'NA-1']) expect(isPlaceholder(t)).toBe(false);
  });

  it('maps fulfilment channels and listing status to the landing values', () => {
    const [channel, status] = ['fulfillment_channel', 'status'].map(
      (n) => CATALOG.listings.columns.find((c) => c.name === n)!.normalise!,
    );
    expect(['DEFAULT', 'AMAZON_NA', 'amazon_eu', 'AFN', 'MFN'].map(channel!)).toEqual([
      'MFN',
      'AFN',
      'AFN',
      'AFN',
      'MFN',
    ]);
    expect(channel!('SELLER')).toBeNull();
    expect(['Active', 'Inactive', 'Incomplete', 'Aktiv'].map(status!)).toEqual([
      'active',
      'inactive',
      'incomplete',
      'active',
    ]);
  });

  it('matches headers whatever their case, spacing and punctuation', () => {
    expect(new Set(['Event Type', 'event-type', 'event_type', 'EVENT TYPE'].map(columnKey))).toEqual(
      new Set(['eventtype']),
    );
    expect(columnKey('Händler-SKU')).toBe('handlersku');
    expect(columnKey('7 Day Total Orders (#)')).toBe('7daytotalorders');
    expect(columnKey('campaignId')).toBe(columnKey('Campaign Id'));
  });
});
