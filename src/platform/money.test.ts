import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cents,
  cmp,
  div,
  formatMinor,
  formatUnits,
  fromMinor,
  roundHalfUp,
  toMinor,
  toMinorHalfUp,
  toRatio,
  toUnits,
} from './money.ts';

// One module, two roundings: prices AWA sets round half-even (SPEC §8), fee amounts half away from
// zero as Amazon's totals do. They differ only on exact ties.
describe('money: the two roundings', () => {
  const even = (v: string, digits = 2) => formatMinor(toMinor(toRatio(v)!, digits), digits);
  const up = (v: string, digits = 2) => roundHalfUp(toRatio(v)!, digits);

  it('agree off the tie and differ on it', () => {
    for (const v of ['10.124', '10.126', '-3.333', '0.001', '1500']) expect(up(v), v).toBe(even(v));
    expect([even('10.125'), up('10.125')]).toEqual(['10.12', '10.13']);
    expect([even('10.135'), up('10.135')]).toEqual(['10.14', '10.14']);
    expect([even('2.5', 0), up('2.5', 0)]).toEqual(['2', '3']);
    expect([even('-1.005'), up('-1.005')]).toEqual(['-1.00', '-1.01']);
  });

  it('reads the text a JSON number was sent as, not its binary double', () => {
    // 1.485 as a double is 1.48499999…: rounded as a double it would go down
    expect(cents(1.485)).toBe('1.49');
    expect(toMinorHalfUp(toRatio(1.485)!, 2)).toBe(149n);
  });
});

describe("money: the import's cost units", () => {
  it('are toMinorHalfUp(value ÷ divisor, 4) for any decimal and case size, and print back exactly', () => {
    const decimal = fc
      .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.integer({ min: 0, max: 8 }))
      .map(([neg, digits, scale]) => {
        const s = digits.toString().padStart(scale + 1, '0');
        const text = scale ? `${s.slice(0, -scale)}.${s.slice(-scale)}` : s;
        return neg && digits !== 0n ? `-${text}` : text;
      });
    fc.assert(
      fc.property(decimal, fc.bigInt({ min: 1n, max: 144n }), (d, k) => {
        const units = toUnits(d, k);
        expect(units).toBe(toMinorHalfUp(div(toRatio(d)!, { n: k, d: 1n }), 4));
        expect(cmp(toRatio(formatUnits(units))!, fromMinor(units, 4))).toBe(0);
        expect(formatUnits(units)).not.toMatch(/\.$|\.\d*0$|^-0$/);
      }),
      { numRuns: 2000 },
    );
  });
});
