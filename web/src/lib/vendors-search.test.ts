import { describe, expect, it } from 'vitest';
import {
  parseVendorsSearch,
  updateVendorsSearch,
  vendorsApiQuery,
  vendorsCsvHref,
} from './vendors-search.ts';

describe('vendors search', () => {
  it('keeps valid values, drops defaults and bad ones', () => {
    expect(
      parseVendorsSearch({
        search: '  acme ',
        country: 'de',
        currency: 'eur',
        stale: 'stale',
        sort: 'lead_time',
        order: 'desc',
        page: '2',
        page_size: '50',
      }),
    ).toEqual({ search: 'acme', country: 'DE', currency: 'EUR', stale: 'stale', sort: 'lead_time', page: 2 });
    expect(
      parseVendorsSearch({
        country: 'DEU',
        currency: '€',
        stale: 'old',
        sort: 'cost',
        page: '0',
        page_size: '500',
      }),
    ).toEqual({});
    expect(parseVendorsSearch({ sort: 'name', order: 'desc' })).toEqual({ order: 'desc' });
  });

  it('goes back to page 1 on any change but paging', () => {
    expect(updateVendorsSearch({ page: 3, country: 'DE' }, { page: 4 })).toEqual({ page: 4, country: 'DE' });
    expect(updateVendorsSearch({ page: 3 }, { country: 'it' })).toEqual({ country: 'IT' });
    expect(updateVendorsSearch({ country: 'IT' }, { country: '' })).toEqual({});
  });

  it('builds the API query and the CSV link (stale as a boolean, no paging in the CSV)', () => {
    expect(vendorsApiQuery({ stale: 'fresh', sort: 'offers' })).toEqual({
      stale: false,
      sort: 'offers',
      order: 'desc',
      page: 1,
      page_size: 50,
    });
    expect(vendorsCsvHref({ stale: 'stale', search: 'a&b', page: 2 })).toBe(
      '/api/v1/vendors.csv?search=a%26b&stale=true&sort=name&order=asc',
    );
  });
});
