import { describe, expect, it } from 'vitest';
import {
  demandOf,
  fromScaled,
  isoWeek,
  type PlanParams,
  planSku,
  type SkuInput,
  toScaled,
  WINDOW_DAYS,
  zFor,
} from './restock.plan.ts';

const PARAMS: PlanParams = { transitDays: 10, coverDays: 35, serviceLevel: 0.95 };
const inStock = () => new Array<boolean>(WINDOW_DAYS).fill(false);
// 2 units on even days, 4 on odd days: mean 3, population σ exactly 1
const alternating = () => Array.from({ length: WINDOW_DAYS }, (_, i) => (i % 2 === 0 ? 2 : 4));

function sku(over: Partial<SkuInput> = {}): SkuInput {
  return {
    units: alternating(),
    outOfStock: inStock(),
    historyStart: 0,
    onHand: 50,
    inbound: 20,
    onOrder: 30,
    // 19 + 10 transit = L 29; L + R = 36, √36 = 6
    vendorLeadDays: 19,
    casePack: 12,
    moq: 0,
    hasVendor: true,
    ...over,
  };
}

describe('zFor (inverse normal CDF rounded up to 2 decimals)', () => {
  it('gives the textbook safety factors', () => {
    expect(zFor(0.95)).toBe(1.65); // 1.6449
    expect(zFor(0.975)).toBe(1.96); // 1.95996
    expect(zFor(0.99)).toBe(2.33); // 2.3263
    expect(zFor(0.9)).toBe(1.29); // 1.2816
    expect(zFor(0.5)).toBe(0);
    expect(zFor(0.9999)).toBe(3.72); // 3.7190
    expect(() => zFor(1)).toThrow(RangeError);
  });
});

describe('demandOf', () => {
  it('weights the 7/30/90-day averages 0.5/0.3/0.2 and takes the population σ', () => {
    const dm = demandOf({ units: alternating(), outOfStock: inStock(), historyStart: 0 });
    // last 7 days are indexes 83..89: four odd days (4) and three even days (2) = 22 units
    expect(dm.avg7).toBeCloseTo(22 / 7, 12);
    expect(dm.avg30).toBe(3);
    expect(dm.avg90).toBe(3);
    expect(dm.d).toBeCloseTo(0.5 * (22 / 7) + 0.3 * 3 + 0.2 * 3, 12); // 3.0714…
    expect(dm.sigma).toBeCloseTo(1, 12);
    expect(dm).toMatchObject({ historyDays: 90, inStockDays: 90, totalUnits: 270 });
  });

  it('leaves stock-out days out of the averages and σ, but counts a stock-out day that sold', () => {
    const units = new Array<number>(WINDOW_DAYS).fill(5);
    const out = inStock();
    for (let i = 40; i < 50; i++) {
      units[i] = 0;
      out[i] = true;
    }
    // out of stock all of the last 3 days too
    for (let i = 87; i < 90; i++) {
      units[i] = 0;
      out[i] = true;
    }
    out[20] = true; // the snapshot said 0 but 5 units shipped that day: stock arrived, the day counts
    const dm = demandOf({ units, outOfStock: out, historyStart: 0 });
    expect(dm).toMatchObject({ d: 5, sigma: 0, inStockDays: 77, totalUnits: 385 });
    // the same days counted as 0-sales days would give a lower d and a σ > 0
    const naive = demandOf({ units, outOfStock: inStock(), historyStart: 0 });
    expect(naive.avg7).toBeCloseTo(20 / 7, 12);
    expect(naive.sigma).toBeGreaterThan(1);
  });

  it('counts days without sales while in stock as 0, not as gaps', () => {
    const units = Array.from({ length: WINDOW_DAYS }, (_, i) => (i % 3 === 0 ? 6 : 0));
    const dm = demandOf({ units, outOfStock: inStock(), historyStart: 0 });
    expect(dm.avg90).toBe(2); // 30 days × 6 units / 90 days
    expect(dm.avg30).toBe(2);
    // last 7 = 83..89: 84 and 87 are multiples of 3 → 12 units / 7 days
    expect(dm.avg7).toBeCloseTo(12 / 7, 12);
  });

  it('falls back to the next longer span when a span has no in-stock day', () => {
    const units = new Array<number>(WINDOW_DAYS).fill(4);
    const out = inStock();
    for (let i = 80; i < 90; i++) {
      units[i] = 0;
      out[i] = true;
    }
    const dm = demandOf({ units, outOfStock: out, historyStart: 0 });
    expect(dm).toMatchObject({ avg7: 4, avg30: 4, avg90: 4, d: 4, inStockDays: 80 });
  });
});

describe('planSku', () => {
  it('computes SS, ROP, S and rounds the order up to whole cases', () => {
    const l = planSku(sku(), PARAMS, zFor(PARAMS.serviceLevel));
    const d = 11 / 7 + 1.5;
    expect(l.d).toBeCloseTo(d, 12);
    expect(l.leadTime).toBe(29);
    expect(l.safetyStock).toBeCloseTo(1.65 * 1 * 6, 9); // 9.9
    expect(l.reorderPoint).toBeCloseTo(36 * d + 9.9, 9); // 120.4714
    expect(l.orderUpTo).toBeCloseTo(36 * d + 9.9 + 35 * d, 9); // 227.9714
    expect(l.position).toBe(100); // 50 on hand + 20 inbound + 30 on order
    // 227.97 − 100 = 127.97 → 128 units → 11 cases of 12 = 132
    expect(l.qty).toBe(132);
    expect(l.daysToStockout).toBeCloseTo(100 / d, 9);
    expect(l.daysOfCover).toBeCloseTo(70 / d, 9); // on hand + inbound
    expect(l.overstock).toBe(false);
    expect(l.reason).toMatch(/^order 132 \(11 cases of 12\): position 100 ≤ reorder point 120\.5/);
  });

  it('raises the order to the MOQ in whole cases', () => {
    const l = planSku(sku({ moq: 200 }), PARAMS, 1.65);
    expect(l.qty).toBe(204); // 200 / 12 → 17 cases
    expect(l.reason).toContain('raised to the MOQ of 200, 17 cases of 12');
    // a MOQ below the computed quantity changes nothing
    expect(planSku(sku({ moq: 100 }), PARAMS, 1.65).qty).toBe(132);
    // without a case pack the order is the units, rounded up
    expect(planSku(sku({ casePack: 1 }), PARAMS, 1.65).qty).toBe(128);
  });

  it('orders nothing above the reorder point, and flags overstock over 150 % of the cover', () => {
    const l = planSku(sku({ onHand: 121, inbound: 0, onOrder: 0 }), PARAMS, 1.65);
    expect(l.qty).toBe(0);
    expect(l.reason).toMatch(/^no order: position 121 above reorder point 120\.5/);
    expect(l.overstock).toBe(false);
    // at (just under) the reorder point it orders
    // S − 120 = 107.97 → 108 units = 9 cases
    expect(planSku(sku({ onHand: 120, inbound: 0, onOrder: 0 }), PARAMS, 1.65).qty).toBe(108);
    // 1.5 × 35 = 52.5 days; 170 / 3.0714 = 55.3 days of cover
    const over = planSku(sku({ onHand: 150, inbound: 20, onOrder: 0 }), PARAMS, 1.65);
    expect(over.overstock).toBe(true);
    expect(over.reason).toContain('overstock: 55.3 days of cover (target 35)');
    // on order does not count as cover: it is still at the vendor
    expect(planSku(sku({ onHand: 100, inbound: 0, onOrder: 500 }), PARAMS, 1.65).overstock).toBe(false);
  });

  it('orders nothing for a SKU without sales, whatever its MOQ', () => {
    const l = planSku(
      sku({ units: new Array(WINDOW_DAYS).fill(0), onHand: 0, inbound: 0, onOrder: 0, moq: 50 }),
      PARAMS,
      1.65,
    );
    expect(l).toMatchObject({ d: 0, sigma: 0, qty: 0, daysToStockout: null, overstock: false });
    expect(l.reason).toBe('no sales in the last 90 days: nothing to order');
    const stuck = planSku(sku({ units: new Array(WINDOW_DAYS).fill(0), onHand: 10 }), PARAMS, 1.65);
    expect(stuck.overstock).toBe(true);
    expect(stuck.reason).toContain('overstock: 30 units that do not sell'); // 10 on hand + 20 inbound
  });

  it('plans a new SKU from the days it has, and says so', () => {
    const units = new Array<number>(WINDOW_DAYS).fill(0);
    [units[86], units[87], units[88], units[89]] = [3, 5, 3, 5];
    const l = planSku(
      sku({ units, historyStart: 86, onHand: 0, inbound: 0, onOrder: 0, casePack: 1, vendorLeadDays: 19 }),
      PARAMS,
      1.65,
    );
    // every span holds the same 4 days: avg 4, σ 1 → ROP = 4 × 36 + 9.9 = 153.9, S = 153.9 + 140
    expect(l).toMatchObject({ d: 4, sigma: 1, historyDays: 4, inStockDays: 4 });
    expect(l.reorderPoint).toBeCloseTo(153.9, 9);
    expect(l.qty).toBe(294); // ceil(293.9)
    expect(l.reason).toContain('new SKU: demand from only 4 days of history');
  });

  it('says when the vendor or its lead time is unknown', () => {
    const noLead = planSku(sku({ vendorLeadDays: null }), PARAMS, 1.65);
    expect(noLead.leadTime).toBe(10);
    expect(noLead.reason).toContain('vendor lead time unknown: taken as 0 days');
    expect(planSku(sku({ hasVendor: false }), PARAMS, 1.65).reason).toContain('no vendor offer');
  });
});

describe('isoWeek', () => {
  it('numbers weeks as ISO 8601 does, across year ends', () => {
    expect(isoWeek(new Date('2026-11-28T10:00:00Z'))).toBe('2026-W48');
    expect(isoWeek(new Date('2026-11-23T00:00:00Z'))).toBe('2026-W48'); // Monday
    expect(isoWeek(new Date('2026-11-22T23:59:59Z'))).toBe('2026-W47'); // Sunday
    expect(isoWeek(new Date('2027-01-01T12:00:00Z'))).toBe('2026-W53'); // 2026 has 53 weeks
    expect(isoWeek(new Date('2024-12-30T12:00:00Z'))).toBe('2025-W01');
  });
});

describe('scaled money', () => {
  it('multiplies and sums costs exactly', () => {
    const line = toScaled('2.3333') * 3n;
    expect(fromScaled(line)).toBe('6.9999');
    expect(fromScaled(toScaled('0.1') * 3n + toScaled('0.2'))).toBe('0.5000');
    expect(() => toScaled('1.23456')).toThrow(RangeError);
  });
});
