import { describe, expect, it } from 'vitest';
import { logApiQuery, logCsvHref, parseRepricerSearch, updateRepricerSearch } from './repricer-search.ts';

const RUN = '0b7c2a9e-3f41-4c1e-9d2a-5e6f7a8b9c0d';

describe('the repricer page URL', () => {
  it('keeps what is valid and drops the rest; defaults are left out', () => {
    expect(parseRepricerSearch({ tab: 'rules', page: '1', page_size: '50' })).toEqual({});
    expect(
      parseRepricerSearch({
        tab: 'log',
        run: RUN.toUpperCase(),
        guard: 'breaker',
        changed: 'false',
        sort: 'change',
        order: 'asc',
        page: '3',
        page_size: '7',
      }),
    ).toEqual({ tab: 'log', run: RUN, guard: 'breaker', changed: false, sort: 'change', page: 3 });
    expect(parseRepricerSearch({ tab: 'nope', guard: 'cheap', run: 'x' })).toEqual({});
    // log filters belong to the log
    expect(parseRepricerSearch({ tab: 'simulate', guard: 'floor', sku: ' AB ' })).toEqual({
      tab: 'simulate',
      sku: 'AB',
    });
  });

  it('a new filter goes back to page 1; a new tab starts clean', () => {
    const at = { tab: 'log' as const, guard: 'floor' as const, page: 4 };
    expect(updateRepricerSearch(at, { changed: true })).toEqual({
      tab: 'log',
      guard: 'floor',
      changed: true,
    });
    expect(updateRepricerSearch(at, { page: 5 })).toEqual({ ...at, page: 5 });
    expect(updateRepricerSearch(at, { tab: 'simulate' })).toEqual({ tab: 'simulate' });
    expect(updateRepricerSearch(at, { guard: undefined })).toEqual({ tab: 'log' });
  });

  it('asks the API for the page and the CSV with the same filters and order', () => {
    const s = parseRepricerSearch({ tab: 'log', sku: 'A-1', sort: 'sku', order: 'desc', page: '2' });
    expect(logApiQuery(s)).toEqual({
      run_id: undefined,
      sku: 'A-1',
      guard: undefined,
      changed: undefined,
      sort: 'sku',
      order: 'desc',
      page: 2,
      page_size: 50,
    });
    expect(logCsvHref(s)).toBe('/api/v1/repricer/log.csv?sku=A-1&sort=sku&order=desc');
  });
});
