import { describe, expect, it } from 'vitest';
import { roundOrderQty as webRound } from '../../../web/src/lib/restock-rounding.ts';
import { planSku, zFor } from './restock.plan.ts';
import { roundOrderQty } from './restock.rounding.ts';

describe('roundOrderQty', () => {
  it('rounds up to whole case packs, then to at least the MOQ in whole cases', () => {
    expect(roundOrderQty(420, 10, 0)).toMatchObject({
      qty: 420,
      cases: 42,
      raisedToMoq: false,
      changed: false,
    });
    expect(roundOrderQty(421, 10, 0)).toMatchObject({ qty: 430, cases: 43, changed: true });
    expect(roundOrderQty(7, 6, 50)).toMatchObject({ qty: 54, cases: 9, raisedToMoq: true });
    expect(roundOrderQty(3.2, 1, 0)).toMatchObject({ qty: 4, cases: 4 });
    expect(roundOrderQty(420.0000000001, 10, 0).qty).toBe(420);
    expect(roundOrderQty(0, 12, 100)).toMatchObject({ qty: 0, raisedToMoq: false });
    expect(roundOrderQty(-5, 12, 100).qty).toBe(0);
    expect(roundOrderQty(5, 0, -3)).toMatchObject({ qty: 5, casePack: 1, moq: 0 });
  });

  it('is the same function in the web app (a typed quantity shows what will be ordered)', () => {
    for (let wanted = -2; wanted <= 130; wanted += 0.5) {
      for (const pack of [0, 1, 4, 6, 12, 24]) {
        for (const moq of [0, 1, 10, 25, 100]) {
          expect(webRound(wanted, pack, moq), `${wanted} ${pack} ${moq}`).toEqual(
            roundOrderQty(wanted, pack, moq),
          );
        }
      }
    }
  });

  it('is what the planner orders', () => {
    const units = new Array<number>(90).fill(3);
    const line = planSku(
      {
        units,
        outOfStock: new Array<boolean>(90).fill(false),
        historyStart: 0,
        onHand: 10,
        inbound: 0,
        onOrder: 0,
        vendorLeadDays: 5,
        casePack: 12,
        moq: 200,
        hasVendor: true,
      },
      { transitDays: 10, coverDays: 35, serviceLevel: 0.95 },
      zFor(0.95),
    );
    expect(line.qty).toBe(roundOrderQty(line.orderUpTo - line.position, 12, 200).qty);
    expect(line.qty).toBe(204); // 3/day × 57 = 171 − 10 = 161 → 14 cases = 168 → MOQ 200 → 17 cases
    expect(line.reason).toMatch(/^order 204 \(raised to the MOQ of 200, 17 cases of 12\)/);
  });
});
