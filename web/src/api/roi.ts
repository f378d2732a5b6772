import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { type RoiSearch, roiApiQuery, roiFilterParams } from '../lib/roi-search.ts';
import { apiClient, unwrap } from './client.ts';
import type { GetResult, PostBody, PostResult, Schemas } from './types.ts';

/** One row of GET /api/v1/roi: a vendor offer with its landed-cost breakdown and ROI. */
export type RoiRow = Schemas['RoiRow'];
export type RoiPage = GetResult<'/api/v1/roi'>;
/** GET /api/v1/roi/count: offers and distinct products (ASINs) the filter matches. */
export type RoiCount = GetResult<'/api/v1/roi/count'>;

export const roiPageQuery = (search: RoiSearch) => {
  const query = roiApiQuery(search);
  return queryOptions({
    queryKey: ['roi', query],
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/roi', { params: { query }, signal })),
    // paging and sorting keep the rows on screen until the next page arrives (no blank table)
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
};

export const roiCountQuery = (search: RoiSearch) => {
  const query = roiFilterParams(search);
  return queryOptions({
    queryKey: ['roi', 'count', query],
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/roi/count', { params: { query }, signal })),
    staleTime: 30_000,
  });
};

export type ApproveBody = PostBody<'/api/v1/roi/approve'>;
export type ApproveResult = PostResult<'/api/v1/roi/approve'>;

export function approve(body: ApproveBody): Promise<ApproveResult> {
  return unwrap(apiClient.POST('/api/v1/roi/approve', { body }));
}

/** The CSV of the whole filtered set, same filters and sort as the table (the server streams it). */
export function roiCsvHref(search: RoiSearch): string {
  const { page: _page, page_size: _size, ...query } = roiApiQuery(search);
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  return `/api/v1/roi.csv?${params.toString()}`;
}
