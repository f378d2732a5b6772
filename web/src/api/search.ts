import { queryOptions } from '@tanstack/react-query';
import { apiClient, unwrap } from './client.ts';
import type { GetResult } from './types.ts';

/** GET /api/v1/search: ASIN, SKU, EAN or title; `exact` = the ASIN to jump to. */
export type SearchResult = GetResult<'/api/v1/search'>;
export type SearchHit = SearchResult['items'][number];

export const searchQuery = (q: string) =>
  queryOptions({
    queryKey: ['search', q],
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/search', { params: { query: { q } }, signal })),
    staleTime: 60_000,
    enabled: q.length > 0,
  });
