import { describe, expect, it } from 'vitest';
import {
  hasFilters,
  parseRoiSearch,
  resolveRoiSearch,
  roiApiQuery,
  roiFilterParams,
  roiSearchToParams,
  updateRoiSearch,
} from './roi-search.ts';
import { parseSearchString, stringifySearchObject } from './search-params.ts';

/** What the router does: URL text → strings → validateSearch. */
const fromUrl = (qs: string) => parseRoiSearch(parseSearchString(qs));
const toUrl = (s: Parameters<typeof roiSearchToParams>[0]) => stringifySearchObject(roiSearchToParams(s));

describe('parseRoiSearch', () => {
  it('reads every filter, sort and page value from URL strings', () => {
    expect(
      fromUrl(
        '?roi_min=30&roi_max=80.5&margin_min=-5&margin_max=40&vendor=Wis%C5%82a&category=Haustier&search=katze' +
          '&flags=fees_missing,no_buybox&status=none&best_only=false&sort=margin&order=asc&page=3&page_size=100',
      ),
    ).toEqual({
      roi_min: 30,
      roi_max: 80.5,
      margin_min: -5,
      margin_max: 40,
      vendor: 'Wisła',
      category: 'Haustier',
      search: 'katze',
      flags: ['no_buybox', 'fees_missing'],
      status: 'none',
      best_only: false,
      sort: 'margin',
      order: 'asc',
      page: 3,
      page_size: 100,
    });
  });

  it('drops defaults so they never appear in the URL', () => {
    expect(fromUrl('?sort=roi&order=desc&page=1&page_size=50&best_only=true')).toEqual({});
    // asin sorts A→Z by default: asc is the default there, desc is not
    expect(fromUrl('?sort=asin&order=asc')).toEqual({ sort: 'asin' });
    expect(fromUrl('?sort=asin&order=desc')).toEqual({ sort: 'asin', order: 'desc' });
  });

  it('drops bad values and keeps the good ones', () => {
    expect(
      fromUrl(
        '?roi_min=abc&roi_max=1e9&sort=price&order=up&page=0&page_size=500&status=maybe&best_only=yes' +
          '&flags=bogus,fx_missing&vendor=%20%20&search=' +
          'x'.repeat(65),
      ),
    ).toEqual({ flags: ['fx_missing'] });
    expect(fromUrl('?page=2.5&flags=bogus')).toEqual({});
    expect(fromUrl('?unknown=1&page=4')).toEqual({ page: 4 });
  });

  it('a reversed range keeps the lower bound only', () => {
    expect(fromUrl('?roi_min=50&roi_max=10')).toEqual({ roi_min: 50 });
    expect(fromUrl('?margin_min=50&margin_max=10')).toEqual({ margin_min: 50 });
  });

  it('trims text and keeps flags once each, in a stable order', () => {
    expect(fromUrl('?vendor=%20Acme%20&flags=no_buybox,fx_missing,no_buybox')).toEqual({
      vendor: 'Acme',
      flags: ['no_buybox', 'fx_missing'],
    });
  });
});

describe('round trip', () => {
  const states = [
    {},
    { roi_min: 30 },
    { roi_min: -12.5, roi_max: 0, vendor: 'Thames Trade Supplies Ltd', flags: ['fees_partial' as const] },
    { search: 'B08C6LPX2M', status: 'approved' as const, best_only: false, sort: 'profit' as const, page: 7 },
    { category: 'Sport & Freizeit', sort: 'vendor' as const, order: 'desc' as const, page_size: 200 },
  ];
  it.each(states)('state → URL → state is the identity (%o)', (state) => {
    expect(fromUrl(toUrl(state))).toEqual(state);
  });

  it('the URL is readable: plain values, comma lists, no JSON', () => {
    expect(toUrl({ roi_min: 30, flags: ['no_buybox', 'fx_missing'], vendor: 'A&B' })).toBe(
      '?roi_min=30&vendor=A%26B&flags=no_buybox%2Cfx_missing',
    );
    expect(toUrl({})).toBe('');
  });
});

describe('updateRoiSearch', () => {
  it('a filter or sort change goes back to page 1', () => {
    expect(updateRoiSearch({ page: 5, roi_min: 10 }, { roi_min: 20 })).toEqual({ roi_min: 20 });
    expect(updateRoiSearch({ page: 5 }, { sort: 'margin' })).toEqual({ sort: 'margin' });
    expect(updateRoiSearch({ page: 5 }, { page_size: 100 })).toEqual({ page_size: 100 });
  });

  it('paging keeps the filters', () => {
    expect(updateRoiSearch({ roi_min: 10 }, { page: 2 })).toEqual({ roi_min: 10, page: 2 });
  });

  it('clearing a control removes it from the state', () => {
    expect(updateRoiSearch({ roi_min: 10, vendor: 'x' }, { vendor: '' })).toEqual({ roi_min: 10 });
    expect(updateRoiSearch({ flags: ['fx_missing'] }, { flags: [] })).toEqual({});
  });
});

describe('API params', () => {
  it('the API query has every default filled in and flags as a comma list', () => {
    expect(roiApiQuery({ flags: ['no_buybox', 'fx_missing'], page: 2 })).toEqual({
      best_only: true,
      flags: 'no_buybox,fx_missing',
      sort: 'roi',
      order: 'desc',
      page: 2,
      page_size: 50,
    });
    expect(resolveRoiSearch({ sort: 'vendor' }).order).toBe('asc');
  });

  it('the filter object (bulk approve) leaves sort and page out', () => {
    expect(roiFilterParams({ roi_min: 30, status: 'none', sort: 'margin', page: 4 })).toEqual({
      best_only: true,
      roi_min: 30,
      status: 'none',
    });
  });

  it('hasFilters ignores sort and page', () => {
    expect(hasFilters({ sort: 'margin', page: 3 })).toBe(false);
    expect(hasFilters({ search: 'x' })).toBe(true);
    expect(hasFilters({ best_only: false })).toBe(true);
  });
});
