import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { type AgentsSearch, runsQuery } from '../lib/agents-search.ts';
import { jobFinished } from '../lib/reports-job.ts';
import { api, apiClient, unwrap } from './client.ts';
import type { GetResult, Schemas } from './types.ts';

export type AgentState = Schemas['AgentState'];
export type AgentRun = Schemas['AgentRun'];
export type RunsPage = GetResult<'/api/v1/agents/runs'>;
/** GET /api/v1/jobs/{id}: a background job, its stage, progress, result and runs. */
export type Job = GetResult<'/api/v1/jobs/{id}'>;

export const agentStatusQuery = queryOptions({
  queryKey: ['agents', 'status'],
  queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/agents/status', { signal })),
  staleTime: 15_000,
  refetchInterval: 60_000,
});

export const agentRunsQuery = (search: AgentsSearch) => {
  const query = runsQuery(search);
  return queryOptions({
    queryKey: ['agents', 'runs', query],
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/agents/runs', { params: { query }, signal })),
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });
};

/** A job, asked again every second until it has finished (then never again: it no longer changes). */
export const jobQuery = (id: string) =>
  queryOptions({
    queryKey: ['job', id],
    queryFn: ({ signal }) => unwrap(apiClient.GET('/api/v1/jobs/{id}', { params: { path: { id } }, signal })),
    refetchInterval: (q) => (jobFinished(q.state.data?.status) ? false : 1000),
    staleTime: (q) => (jobFinished(q.state.data?.status) ? Number.POSITIVE_INFINITY : 0),
    retry: 2,
  });

export interface QueuedRun {
  job_id: string;
  agent: string;
  dry_run: boolean;
}

export function runAgent(name: string, dryRun: boolean): Promise<QueuedRun> {
  return api.post<QueuedRun>(`/agents/${encodeURIComponent(name)}/run`, { dry_run: dryRun });
}
