import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api, apiClient, toQueryString, unwrap } from './client.ts';
import type { GetQuery, GetResult, PostResult } from './types.ts';

export type PoList = GetResult<'/api/v1/purchase-orders'>;
export type PoSummary = PoList['items'][number];
export type PurchaseOrder = GetResult<'/api/v1/purchase-orders/{id}'>;
export type PoQuery = GetQuery<'/api/v1/purchase-orders'>;
export type ReceiveResult = PostResult<'/api/v1/purchase-orders/{id}/receive'>;
export type CancelResult = PostResult<'/api/v1/purchase-orders/{id}/cancel'>;

export const poListQuery = (query: PoQuery) =>
  queryOptions({
    queryKey: ['purchase-orders', 'list', query],
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/purchase-orders', { params: { query }, signal })),
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });

export const poQuery = (id: number) =>
  queryOptions({
    queryKey: ['purchase-orders', 'one', id],
    queryFn: ({ signal }) =>
      unwrap(apiClient.GET('/api/v1/purchase-orders/{id}', { params: { path: { id } }, signal })),
    staleTime: 15_000,
  });

export const poCsvHref = (query: Pick<PoQuery, 'status' | 'vendor_id'>) =>
  `/api/v1/purchase-orders.csv${toQueryString(query)}`;

export function receivePo(id: number, lines: { sku: string; qty: number }[] | undefined, dryRun: boolean) {
  return unwrap(
    apiClient.POST('/api/v1/purchase-orders/{id}/receive', {
      params: { path: { id } },
      body: { ...(lines ? { lines } : {}), dry_run: dryRun },
    }),
  );
}

// the route takes `{}` or `{dry_run}` without a body schema, so the typed client offers no body
export function cancelPo(id: number, dryRun: boolean): Promise<CancelResult> {
  return api.post<CancelResult>(`/purchase-orders/${id}/cancel`, { dry_run: dryRun });
}
