import { describe, expect, it } from 'vitest';
import { compactPaging, nextSort, parseSearchString, stringifySearchObject } from './search-params.ts';

describe('search params', () => {
  it('parses plain strings (no JSON coercion: "123" stays a string)', () => {
    expect(parseSearchString('?search=123&flags=a,b&next=%2Froi%3Fpage%3D2')).toEqual({
      search: '123',
      flags: 'a,b',
      next: '/roi?page=2',
    });
    expect(parseSearchString('')).toEqual({});
  });

  it('stringifies without empty values; lists comma-joined', () => {
    expect(stringifySearchObject({ a: 1, b: true, c: '', d: undefined, e: null, f: ['x', 'y'], g: [] })).toBe(
      '?a=1&b=true&f=x%2Cy',
    );
    expect(stringifySearchObject({})).toBe('');
  });

  it('leaves the default page and page size out of a paging change', () => {
    expect(compactPaging({ page: 1 })).toEqual({ page: undefined });
    expect(compactPaging({ page: 3 })).toEqual({ page: 3 });
    expect(compactPaging({ page_size: 50 })).toEqual({ page_size: undefined, page: undefined });
    expect(compactPaging({ page_size: 100 })).toEqual({ page_size: 100, page: undefined });
  });

  it('flips the sorted column and starts another at its default order', () => {
    const byDefault = (s: 'roi' | 'asin') => (s === 'asin' ? 'asc' : 'desc');
    expect(nextSort({ sort: 'roi', order: 'desc' }, 'roi', byDefault)).toEqual({ sort: 'roi', order: 'asc' });
    expect(nextSort({ sort: 'roi', order: 'asc' }, 'roi', byDefault)).toEqual({ sort: 'roi', order: 'desc' });
    expect(nextSort({ sort: 'roi', order: 'asc' }, 'asin', byDefault)).toEqual({
      sort: 'asin',
      order: 'asc',
    });
  });
});
