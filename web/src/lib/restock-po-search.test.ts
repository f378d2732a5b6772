import { describe, expect, it } from 'vitest';
import { parsePoSearch, poApiQuery, receiptLines, updatePoSearch } from './restock-po-search.ts';

describe('purchase-orders search', () => {
  it('keeps valid filters and drops the rest', () => {
    expect(parsePoSearch({ status: 'open', vendor: '3', page: '2', page_size: '100', po: '12' })).toEqual({
      status: 'open',
      vendor: 3,
      page: 2,
      page_size: 100,
      po: 12,
    });
    expect(parsePoSearch({ status: 'lost', vendor: 'x', page: '1', page_size: '50', po: '-1' })).toEqual({});
  });

  it('goes back to page 1 on a filter change, not when an order opens', () => {
    expect(updatePoSearch({ page: 3 }, { status: 'open' })).toEqual({ status: 'open' });
    expect(updatePoSearch({ page: 3 }, { po: 7 })).toEqual({ page: 3, po: 7 });
    expect(poApiQuery({ vendor: 2 })).toEqual({ vendor_id: 2, page: 1, page_size: 50 });
  });

  it('reads typed receipt quantities against what is outstanding', () => {
    const lines = [
      { sku: 'A', qty: 10, received_qty: 4 },
      { sku: 'B', qty: 5, received_qty: 0 },
      { sku: 'C', qty: 5, received_qty: 0 },
      { sku: 'D', qty: 5, received_qty: 0 },
    ];
    const r = receiptLines(
      new Map([
        ['A', '6'],
        ['B', '7'],
        ['C', '1.5'],
        ['D', ''],
      ]),
      lines,
    );
    expect(r.lines).toEqual([{ sku: 'A', qty: 6 }]);
    expect(Object.fromEntries(r.errors)).toEqual({ B: 'only 5 outstanding', C: 'whole units only' });
  });
});
