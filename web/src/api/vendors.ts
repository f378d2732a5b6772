import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { type VendorsSearch, vendorsApiQuery } from '../lib/vendors-search.ts';
import { api, apiClient, unwrap } from './client.ts';
import type { GetResult, Schemas } from './types.ts';

export type Vendor = Schemas['Vendor'];
export type VendorsPage = GetResult<'/api/v1/vendors'>;

/** Every vendor, for pickers (no page_size: the API returns them all). */
export const vendorsQuery = queryOptions({
  queryKey: ['vendors'],
  queryFn: ({ signal }) =>
    unwrap(apiClient.GET('/api/v1/vendors', { params: { query: { sort: 'name', page: 1 } }, signal })),
  staleTime: 5 * 60_000,
});

/** The Vendors page's table: filtered, sorted, one page. */
export const vendorsPageQuery = (search: VendorsSearch) => {
  const query = vendorsApiQuery(search);
  return queryOptions({
    queryKey: ['vendors', 'page', query],
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/vendors', { params: { query }, signal })),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
};

export interface VendorPatch {
  country?: string | null;
  currency?: string | null;
  lead_time_days?: number | null;
  moq?: number | null;
  email?: string | null;
  dry_run: boolean;
}

export interface VendorUpdate {
  dry_run: boolean;
  vendor: Vendor;
  changes: { field: string; from: string | number | null; to: string | number | null }[];
  effects: { field: string; what: string; count: number; message: string }[];
  roi_recomputed: boolean;
}

/** PATCH /vendors/{id}: a preview with dry_run, else saved (ops). */
export function updateVendor(id: number, body: VendorPatch): Promise<VendorUpdate> {
  return api.patch<VendorUpdate>(`/vendors/${id}`, body);
}
