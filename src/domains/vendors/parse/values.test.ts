import { describe, expect, it } from 'vitest';
import { formatUnits, toUnits } from '../../../platform/money.ts';
import { parseDecimal, parsePlainDecimal } from '../../../platform/tabular/index.ts';
import {
  LEAD_TIME,
  MOQ,
  normaliseAsin,
  normaliseCurrency,
  normaliseSku,
  normaliseTitle,
  PACK_SIZE,
  parseCost,
  parseCount,
} from './values.ts';

describe('parseDecimal', () => {
  it.each([
    ['1.234,56', '1234.56'],
    ['1,234.56', '1234.56'],
    ['12,50', '12.5'],
    ['12.50', '12.5'],
    ['1.234', '1234'],
    ['1,234', '1234'],
    ['3.396,63', '3396.63'],
    ['1.234.567,8', '1234567.8'],
    ['1,234,567', '1234567'],
    ['0.125', '0.125'],
    ['0,5', '0.5'],
    ['1234.567', '1234.567'],
    ['12.3456', '12.3456'],
    [',5', '0.5'],
    ['12,', '12'],
    ['007', '7'],
    ["1'234.50", '1234.5'],
    ['1 234,50', '1234.5'],
    ['1\u00a0234,50', '1234.5'],
    ['-3,5', '-3.5'],
    ['3,5-', '-3.5'],
    ['(3.50)', '-3.5'],
    ['+3', '3'],
    ['0,00', '0'],
  ])('%s → %s', (input, expected) => {
    expect(parseDecimal(input)).toBe(expected);
  });

  it.each(['', 'abc', '1.2.3,4,5', '1,23,4', '12a', '1.234,5.6', '.', '-', '4.00638E+12'])(
    'rejects %j',
    (input) => {
      expect(parseDecimal(input)).toBeNull();
    },
  );

  it('reads machine numbers with "." as the decimal point, whatever follows it', () => {
    expect(parsePlainDecimal('1.234')).toBe('1.234');
    expect(parsePlainDecimal('3396.63')).toBe('3396.63');
    expect(parsePlainDecimal('1,5')).toBeNull();
  });
});

describe('fixed point', () => {
  it('rounds half up to 4 decimals with integer arithmetic', () => {
    expect(formatUnits(toUnits('10', 12n))).toBe('0.8333');
    expect(formatUnits(toUnits('5', 12n))).toBe('0.4167');
    expect(formatUnits(toUnits('0.00005'))).toBe('0.0001');
    expect(formatUnits(toUnits('0.00004'))).toBe('0');
    expect(formatUnits(toUnits('1.23455'))).toBe('1.2346');
    expect(formatUnits(toUnits('3396.63'))).toBe('3396.63');
    expect(formatUnits(toUnits('123456789012.5', 3n))).toBe('41152263004.1667');
    expect(formatUnits(toUnits('-1.00005'))).toBe('-1.0001');
  });
});

describe('parseCost', () => {
  it.each([
    ['12,50 €', '12.5', 'EUR'],
    ['€12.50', '12.5', 'EUR'],
    ['EUR 1.234,56', '1234.56', 'EUR'],
    ['$ 3.99', '3.99', 'USD'],
    ['US$3.99', '3.99', 'USD'],
    ['3.99 USD', '3.99', 'USD'],
    ['£2.10', '2.1', 'GBP'],
    ['12.50 chf', '12.5', 'CHF'],
    ['  7,00  ', '7', null],
  ])('%j → %s %s', (input, decimal, currency) => {
    expect(parseCost(input)).toEqual({ ok: true, value: { decimal, currency } });
  });

  it.each([
    ['', 'cost is missing'],
    ['   ', 'cost is missing'],
    ['0', 'cost is zero'],
    ['0,00 €', 'cost is zero'],
    ['-1,50', 'cost is negative'],
    ['n/a', 'cost is not a number'],
    ['NaN', 'cost is not a number'],
    ['12,50 abcd', 'cost is not a number'],
    ['€12 USD', 'cost names two different currencies'],
    ['1.2E+3', 'cost is in scientific notation'],
  ])('rejects %j (%s)', (input, reason) => {
    expect(parseCost(input)).toEqual({ ok: false, reason });
  });

  it('takes numeric XLSX text literally', () => {
    expect(parseCost('1.234', true)).toEqual({ ok: true, value: { decimal: '1.234', currency: null } });
  });
});

describe('normaliseCurrency', () => {
  it.each([
    ['€', 'EUR'],
    ['eur', 'EUR'],
    ['Euro', 'EUR'],
    ['$', 'USD'],
    ['US$', 'USD'],
    ['usd', 'USD'],
    ['£', 'GBP'],
    [' gbp ', 'GBP'],
    ['chf', 'CHF'],
  ])('%j → %s', (input, code) => {
    expect(normaliseCurrency(input)).toBe(code);
  });

  it.each(['', 'EU', 'EURO1', 'dollars', '12'])('rejects %j', (input) => {
    expect(normaliseCurrency(input)).toBeNull();
  });
});

describe('parseCount', () => {
  it.each([
    ['12', 12],
    ['12,0', 12],
    ['12.0', 12],
    ['1.000', 1000],
    [' 7 ', 7],
    ['0', 0],
  ])('MOQ %j → %d', (input, n) => {
    expect(parseCount(input, MOQ)).toEqual({ ok: true, value: n });
  });

  it.each([
    ['1.5', 'MOQ is not a whole number'],
    ['-1', 'MOQ is negative'],
    ['abc', 'MOQ is not a whole number'],
    ['99999999999', 'MOQ is too large'],
  ])('MOQ rejects %j', (input, reason) => {
    expect(parseCount(input, MOQ)).toEqual({ ok: false, reason });
  });

  it('applies blank defaults: moq 0, pack size 1, lead time null', () => {
    expect(parseCount('', MOQ)).toEqual({ ok: true, value: 0 });
    expect(parseCount(' ', PACK_SIZE)).toEqual({ ok: true, value: 1 });
    expect(parseCount('', LEAD_TIME)).toEqual({ ok: true, value: null });
  });

  it('refuses a pack size of 0 and accepts day units on lead times', () => {
    expect(parseCount('0', PACK_SIZE)).toEqual({ ok: false, reason: 'pack size must be at least 1' });
    expect(parseCount('14 days', LEAD_TIME)).toEqual({ ok: true, value: 14 });
    expect(parseCount('10 Tage', LEAD_TIME)).toEqual({ ok: true, value: 10 });
    expect(parseCount('2 weeks', LEAD_TIME).ok).toBe(false);
  });
});

describe('text fields', () => {
  it('upper-cases valid ASINs and rejects the rest', () => {
    expect(normaliseAsin(' b00abc1234 ')).toEqual({ ok: true, value: 'B00ABC1234' });
    expect(normaliseAsin('')).toEqual({ ok: true, value: null });
    expect(normaliseAsin('B00ABC123').ok).toBe(false);
    expect(normaliseAsin('B00ABC-234').ok).toBe(false);
  });

  it('rejects SKUs over 64 characters but truncates titles at 500', () => {
    expect(normaliseSku(' A-1 ')).toEqual({ ok: true, value: 'A-1' });
    expect(normaliseSku('x'.repeat(64)).ok).toBe(true);
    expect(normaliseSku('x'.repeat(65))).toEqual({ ok: false, reason: 'SKU is longer than 64 characters' });
    expect(normaliseTitle('t'.repeat(600))).toHaveLength(500);
    expect(normaliseTitle('   ')).toBeNull();
    // a surrogate pair straddling the cut is dropped whole
    expect(normaliseTitle(`${'t'.repeat(499)}😀tail`)).toBe('t'.repeat(499));
  });
});
