import { describe, expect, it } from 'vitest';
import { fromPlanBody, orderedQty, roundingNote } from './restock-qty.ts';
import { roundOrderQty } from './restock-rounding.ts';

describe('restock quantities', () => {
  it('says how a typed quantity was rounded', () => {
    expect(roundingNote(421, roundOrderQty(421, 10, 0))).toBe('43 cases of 10');
    expect(roundingNote(420, roundOrderQty(420, 10, 0))).toBe('42 cases of 10');
    expect(roundingNote(7, roundOrderQty(7, 6, 50))).toBe('MOQ 50 · 9 cases of 6');
    expect(roundingNote(5, roundOrderQty(5, 1, 0))).toBe('');
    expect(roundingNote(20, roundOrderQty(20, 24, 0))).toBe('1 case of 24');
    expect(roundingNote(4.5, roundOrderQty(4.5, 1, 0))).toBe('whole units');
    expect(roundingNote(3, roundOrderQty(3, 1, 10))).toBe('MOQ 10');
  });

  it("orders the typed quantity rounded, else the plan's suggestion", () => {
    const line = { sku: 'A', qty: 420, case_pack: 10, moq: 0 };
    expect(orderedQty(line, undefined)).toMatchObject({ wanted: 420, rounded: { qty: 420 } });
    expect(orderedQty(line, 421)).toMatchObject({ wanted: 421, rounded: { qty: 430, cases: 43 } });
  });

  it('builds the order body from the selection and the typed quantities', () => {
    const typed = new Map([['B', 421]]);
    expect(fromPlanBody({ mode: 'some', keys: new Set(['B', 'A']) }, typed, true)).toEqual({
      lines: [{ sku: 'A' }, { sku: 'B', qty: 421 }],
      dry_run: true,
    });
    expect(fromPlanBody({ mode: 'all' }, typed, false)).toEqual({
      all_order_lines: true,
      lines: [{ sku: 'B', qty: 421 }],
      dry_run: false,
    });
    expect(fromPlanBody({ mode: 'all' }, new Map(), true)).toEqual({ all_order_lines: true, dry_run: true });
  });
});
