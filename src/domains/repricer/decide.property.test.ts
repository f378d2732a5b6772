import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  add,
  cmp,
  div,
  fromMinor,
  minorDigits,
  mul,
  ONE,
  type Ratio,
  sub,
  toMinor,
  toRatio,
} from '../../platform/money.ts';
import { referralRate } from './bounds.ts';
import { type DecisionInput, decide, type PricedDecision } from './decide.ts';

/** Amounts as decimal text with up to 3 decimals, so inputs also exercise rounding. */
const amount = (min: number, max: number) =>
  fc.integer({ min: min * 1000, max: max * 1000 }).map((m) => (m / 1000).toFixed(3));
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 2 });

const arbInput: fc.Arbitrary<DecisionInput> = fc
  .record({
    currency: fc.constantFrom('GBP', 'EUR', 'USD', 'JPY'),
    current_price: amount(1, 500),
    landed_cost: maybe(amount(0, 300)),
    referral: maybe(amount(0, 80)),
    price_basis: maybe(amount(0, 500)),
    fulfilment: maybe(amount(0, 20)),
    storage: maybe(amount(0, 5)),
    other: maybe(amount(0, 5)),
    returns_allowance: maybe(amount(0, 10)),
    vat_rate: fc.constantFrom(undefined, 0, '0.2', '0.19', '0.1'),
    min_price: maybe(amount(0, 300)),
    span: maybe(amount(0, 400)),
    map_price: maybe(amount(0, 300)),
    strategy: fc.constantFrom('match_buybox', 'beat_buybox', 'min_roi', 'hold') as fc.Arbitrary<
      DecisionInput['rule']['strategy']
    >,
    step: maybe(amount(0.001, 2)),
    min_roi: maybe(amount(0, 1)),
    max_step_pct: maybe(fc.constantFrom('0.05', '0.1', '0.25', '0.5')),
    buybox_price: maybe(fc.oneof(amount(-5, 600), fc.constant('0.01'))),
    we_hold_buybox: fc.boolean(),
    drops: fc.integer({ min: 0, max: 6 }),
    days_of_cover: maybe(fc.integer({ min: 0, max: 200 })),
    lead_time_days: maybe(fc.integer({ min: 0, max: 60 })),
    target_cover_days: maybe(fc.integer({ min: 0, max: 90 })),
  })
  .map((r) => ({
    sku: 'SKU',
    asin: 'B000000000',
    currency: r.currency,
    current_price: r.current_price,
    landed_cost: r.landed_cost,
    fees: {
      referral: r.referral,
      price_basis: r.price_basis,
      fulfilment: r.fulfilment,
      storage: r.storage,
      other: r.other,
    },
    returns_allowance: r.returns_allowance,
    vat_rate: r.vat_rate,
    rule: {
      min_price: r.min_price,
      // max ≥ min keeps the rule valid; min > max is covered by the unit tests.
      max_price: r.span === undefined ? undefined : (Number(r.min_price ?? 0) + Number(r.span)).toFixed(3),
      map_price: r.map_price,
      strategy: r.strategy,
      step: r.step,
      enabled: true,
    },
    settings: { min_roi: r.min_roi, max_step_pct: r.max_step_pct },
    market: { buybox_price: r.buybox_price, we_hold_buybox: r.we_hold_buybox, buybox_drops_24h: r.drops },
    stock: {
      days_of_cover: r.days_of_cover,
      lead_time_days: r.lead_time_days,
      target_cover_days: r.target_cover_days,
    },
  }));

/** The effective upper bound: the floor wins over a ceiling set below it. */
function effectiveCeiling(d: PricedDecision): bigint | undefined {
  if (d.ceiling === null) return undefined;
  const c = units(d, d.ceiling);
  const f = units(d, d.floor);
  // bigint: Math.max does not apply
  if (c > f) return c;
  return f;
}

/** Exact minor units of a formatted price. */
function units(d: PricedDecision, text: string): bigint {
  return toMinor(toRatio(text)!, minorDigits(d.currency));
}

function check(predicate: (input: DecisionInput, d: PricedDecision) => void): void {
  fc.assert(
    fc.property(arbInput, (input) => {
      const d = decide(input);
      if (d.skipped) {
        // a referral rate at or above the VAT-net share of the price leaves no floor at any price
        if (!/no revenue/.test(d.reason)) expect(input.landed_cost).toBeUndefined();
        expect(d.changed).toBe(false);
        return;
      }
      predicate(input, d);
    }),
    { numRuns: 400 },
  );
}

describe('decide invariants (property-based)', () => {
  it('final ≥ floor', () => {
    check((_, d) => expect(units(d, d.final) >= units(d, d.floor)).toBe(true));
  });

  it("the ROI floor keeps min_roi in ROI's own terms, and one minor unit less does not", () => {
    const zero: Ratio = { n: 0n, d: 1n };
    const abs = (v: unknown) => {
      const r = toRatio(v) ?? zero;
      return r.n < 0n ? { n: -r.n, d: r.d } : r;
    };
    check((input, d) => {
      const rule = input.rule;
      if (rule.min_price !== undefined || rule.map_price !== undefined) return;
      const digits = minorDigits(d.currency);
      const landed = toRatio(input.landed_cost)!;
      const vat = toRatio(input.vat_rate) ?? zero;
      const rate = referralRate(input.fees);
      const costs = [input.fees?.fulfilment, input.fees?.storage, input.fees?.other, input.returns_allowance]
        .map(abs)
        .reduce(add, landed);
      // SPEC §6 at a gross price p: p / (1 + VAT) − rate · p − fees − allowance − landed
      const roiAt = (units: bigint): Ratio => {
        const p = fromMinor(units, digits);
        return div(sub(sub(div(p, add(ONE, vat)), mul(rate, p)), costs), landed);
      };
      if (landed.n === 0n) return;
      const minRoi = toRatio(input.settings?.min_roi ?? '0.15')!;
      const floor = units(d, d.floor);
      expect(cmp(roiAt(floor), minRoi)).toBeGreaterThanOrEqual(0);
      expect(cmp(roiAt(floor - 1n), minRoi)).toBeLessThan(0);
    });
  });

  it('final ≤ ceiling when a ceiling is set and is ≥ the floor', () => {
    check((_, d) => {
      if (d.ceiling === null || units(d, d.ceiling) < units(d, d.floor)) return;
      expect(units(d, d.final) <= units(d, d.ceiling)).toBe(true);
    });
  });

  it('|final − old| ≤ max_step_pct × old unless moving to a hard bound (up to the floor, down to the ceiling)', () => {
    check((input, d) => {
      const oldU = units(d, d.old_price);
      const finalU = units(d, d.final);
      if (finalU > oldU && finalU === units(d, d.floor)) return;
      if (finalU < oldU && finalU === effectiveCeiling(d)) return;
      const pct = toRatio(input.settings?.max_step_pct ?? '0.10')!;
      const diff = finalU > oldU ? finalU - oldU : oldU - finalU;
      // diff ≤ pct × old  ⇔  diff × pct.d ≤ pct.n × old (exact)
      expect(diff * pct.d <= pct.n * oldU).toBe(true);
    });
  });

  it('final is never below MAP', () => {
    check((input, d) => {
      if (input.rule.map_price === undefined) return;
      expect(units(d, d.final) >= units(d, String(input.rule.map_price))).toBe(true);
    });
  });

  it('winning → never lowered (unless capped by the ceiling)', () => {
    check((input, d) => {
      const bb = toRatio(input.market.buybox_price);
      const bbU = bb ? units(d, String(input.market.buybox_price)) : undefined;
      const oldU = units(d, d.old_price);
      const winning = input.market.we_hold_buybox && (bbU === undefined || bbU <= 0n || oldU <= bbU);
      if (!winning) return;
      if (units(d, d.final) === effectiveCeiling(d)) return;
      expect(units(d, d.final) >= oldU).toBe(true);
    });
  });

  it('prices are whole minor units, formatted to the currency', () => {
    check((_, d) => {
      const digits = minorDigits(d.currency);
      const shape = digits === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${digits}}$`);
      for (const p of [d.old_price, d.proposed, d.final, d.floor]) expect(p).toMatch(shape);
      expect(d.changed).toBe(d.final !== d.old_price);
    });
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        expect(decide(structuredClone(input))).toEqual(decide(input));
      }),
      { numRuns: 200 },
    );
  });
});
