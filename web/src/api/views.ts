import { queryOptions } from '@tanstack/react-query';
import { apiClient, unwrap } from './client.ts';
import type { GetResult } from './types.ts';

/** A saved view: a page's URL query string under a name, per user (GET/POST/DELETE /api/v1/views). */
export type SavedView = GetResult<'/api/v1/views'>['items'][number];

export const viewsQuery = (page: string) =>
  queryOptions({
    queryKey: ['views', page],
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/views', { params: { query: { page } }, signal })),
    staleTime: 5 * 60_000,
  });

export const saveView = (page: string, name: string, params: string) =>
  unwrap(apiClient.POST('/api/v1/views', { body: { page, name, params } }));

export const deleteView = (id: number) =>
  unwrap(apiClient.DELETE('/api/v1/views/{id}', { params: { path: { id } } }));
