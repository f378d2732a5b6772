import { describe, expect, it } from 'vitest';
import {
  parseQty,
  parseRestockSearch,
  planLinesQuery,
  resolveRestockSearch,
  updateRestockSearch,
} from './restock-search.ts';

describe('restock search', () => {
  it('keeps what differs from the defaults and drops bad values', () => {
    expect(parseRestockSearch({})).toEqual({});
    expect(
      parseRestockSearch({
        plan: '7',
        order_only: 'true',
        flag: 'stockout',
        vendor: '3',
        sort: 'qty',
        order: 'desc',
        page: '2',
        page_size: '100',
        line: ' SKU-1 ',
        job: 'abc-123',
      }),
    ).toEqual({
      plan: 7,
      order_only: true,
      flag: 'stockout',
      vendor: 3,
      sort: 'qty',
      page: 2,
      page_size: 100,
      line: 'SKU-1',
      job: 'abc-123',
    });
    expect(
      parseRestockSearch({ plan: '-1', flag: 'red', sort: 'price', page: '0', page_size: '500', job: 'a b' }),
    ).toEqual({});
    expect(parseRestockSearch({ sort: 'sku', order: 'desc' })).toEqual({ sort: 'sku', order: 'desc' });
  });

  it('goes back to page 1 on a filter or sort change, not when a line or job opens', () => {
    const s = { page: 3, sort: 'qty' as const };
    expect(updateRestockSearch(s, { flag: 'ok' })).toEqual({ sort: 'qty', flag: 'ok' });
    expect(updateRestockSearch(s, { line: 'A' })).toEqual({ page: 3, sort: 'qty', line: 'A' });
    expect(updateRestockSearch({ plan: 1, line: 'A' }, { plan: 2 })).toEqual({ plan: 2 });
  });

  it('answers the API query with the default order of each sort', () => {
    expect(planLinesQuery({})).toEqual({
      order_only: false,
      sort: 'days_to_stockout',
      order: 'asc',
      page: 1,
      page_size: 50,
    });
    expect(planLinesQuery({ sort: 'demand', vendor: 4, flag: 'below_rop' })).toMatchObject({
      sort: 'demand',
      order: 'desc',
      vendor_id: 4,
      flag: 'below_rop',
    });
    expect(resolveRestockSearch({ sort: 'line_cost', order: 'asc' }).order).toBe('asc');
  });

  it('reads a typed quantity as whole units', () => {
    expect(parseQty('')).toBeNull();
    expect(parseQty(' 421 ')).toEqual({ qty: 421 });
    expect(parseQty('4.5')).toEqual({ error: 'whole units only' });
    expect(parseQty('0')).toEqual({ error: 'at least 1 unit' });
    expect(parseQty('-3')).toEqual({ error: 'whole units only' });
  });
});
