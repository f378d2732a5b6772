import { queryOptions } from '@tanstack/react-query';
import { apiClient, unwrap } from './client.ts';
import type { GetResult } from './types.ts';

/** GET /api/v1/dashboard: KPIs, ROI by vendor, returns, recent files and agent health in one request. */
export type Dashboard = GetResult<'/api/v1/dashboard'>;
export type AgentHealth = Dashboard['agents'][number];

export const dashboardQuery = queryOptions({
  queryKey: ['dashboard'],
  queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/dashboard', { signal })),
  staleTime: 60_000,
});
