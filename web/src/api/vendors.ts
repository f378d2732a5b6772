import { queryOptions } from '@tanstack/react-query';
import { apiClient, unwrap } from './client.ts';
import type { GetResult } from './types.ts';

export type Vendor = GetResult<'/api/v1/vendors'>['items'][number];

export const vendorsQuery = queryOptions({
  queryKey: ['vendors'],
  queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/vendors', { signal })),
  staleTime: 5 * 60_000,
});
