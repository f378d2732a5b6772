import { describe, expect, it } from 'vitest';
import { parsePriceListsSearch } from './search.ts';

describe('price-lists URL state', () => {
  it('keeps a valid vendor id, job id, search and page', () => {
    expect(
      parsePriceListsSearch({
        vendor: 3,
        job: '454d28e4-c40a-434b-8f5e-94a8f65fbabc',
        q: ' RG-01 ',
        page: 2,
      }),
    ).toEqual({ vendor: 3, job: '454d28e4-c40a-434b-8f5e-94a8f65fbabc', q: 'RG-01', page: 2 });
  });

  it('drops what is not valid instead of sending it to the API', () => {
    expect(parsePriceListsSearch({ vendor: 'x', job: '../../etc', q: '', page: 0 })).toEqual({});
    expect(parsePriceListsSearch({ vendor: -1, page: 1 })).toEqual({});
    // a numeric search (an EAN typed in the URL) is parsed as a number by the router: keep it as text
    expect(parsePriceListsSearch({ q: 4006381333931 })).toEqual({ q: '4006381333931' });
  });
});
