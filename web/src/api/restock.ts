import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { planLinesQuery, type RestockSearch } from '../lib/restock-search.ts';
import { apiClient, unwrap } from './client.ts';
import type { GetResult, PostBody, PostResult, Schemas } from './types.ts';

export type RestockPlan = Schemas['RestockPlan'];
export type PlanLine = Schemas['RestockPlanLine'];
export type PlanDetail = GetResult<'/api/v1/restock/plans/{id}'>;
export type FromPlanBody = PostBody<'/api/v1/restock/plans/{id}/purchase-orders'>;
export type FromPlanResult = PostResult<'/api/v1/restock/plans/{id}/purchase-orders'>;
export type Job = GetResult<'/api/v1/jobs/{id}'>;

/** The newest plans first: the picker's choices (a plan a week, so a year fits one page). */
export const plansQuery = queryOptions({
  queryKey: ['restock', 'plans'],
  queryFn: ({ signal }) =>
    unwrap(apiClient.GET('/api/v1/restock/plans', { params: { query: { page: 1, page_size: 60 } }, signal })),
  staleTime: 60_000,
});

export const planQuery = (id: number | undefined, search: RestockSearch) => {
  const query = planLinesQuery(search);
  return queryOptions({
    queryKey: ['restock', 'plan', id, query],
    queryFn: ({ signal }) =>
      unwrap(apiClient.GET('/api/v1/restock/plans/{id}', { params: { path: { id: id! }, query }, signal })),
    enabled: id !== undefined,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
};

export function ordersFromPlan(id: number, body: FromPlanBody): Promise<FromPlanResult> {
  return unwrap(
    apiClient.POST('/api/v1/restock/plans/{id}/purchase-orders', { params: { path: { id } }, body }),
  );
}

export const planCsvHref = (id: number) => `/api/v1/restock/plans/${id}.csv`;

/** Queues the restock agent (admin); answers the job id to follow. */
export function runRestock(dryRun: boolean) {
  return unwrap(
    apiClient.POST('/api/v1/agents/{name}/run', {
      params: { path: { name: 'restock' } },
      body: { dry_run: dryRun },
    }),
  );
}

const FINAL = new Set(['success', 'skipped', 'tripped', 'failed', 'cancelled']);
export const jobDone = (job: Job | undefined) => job !== undefined && FINAL.has(job.status);

/** GET /jobs/{id}, polled every second until the job is over. */
export const jobQuery = (id: string) =>
  queryOptions({
    queryKey: ['jobs', id],
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/jobs/{id}', { params: { path: { id } }, signal })),
    refetchInterval: (q) => (jobDone(q.state.data) ? false : 1000),
  });
