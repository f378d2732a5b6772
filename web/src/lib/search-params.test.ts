import { describe, expect, it } from 'vitest';
import { parseSearchString, stringifySearchObject } from './search-params.ts';

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
});
