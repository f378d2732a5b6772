import { jobId, pageSize, positiveInt } from './reports-search.ts';

/**
 * The agents page's URL: `agent` whose history is shown (all when absent), the history's `status`,
 * `page` and `page_size`, and `job` the run being watched, so a reload resumes watching it.
 */
export const RUN_STATUSES = ['running', 'success', 'failed', 'skipped', 'tripped'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface AgentsSearch {
  agent?: string;
  status?: RunStatus;
  page?: number;
  page_size?: number;
  job?: string;
}

export function parseAgentsSearch(s: Record<string, unknown>): AgentsSearch {
  const out: AgentsSearch = {};
  const agent = typeof s.agent === 'string' ? s.agent.trim() : '';
  if (/^[a-z][a-z0-9_-]{0,63}$/.test(agent)) out.agent = agent;
  if ((RUN_STATUSES as readonly unknown[]).includes(s.status)) out.status = s.status as RunStatus;
  const page = positiveInt(s.page);
  if (page && page > 1) out.page = page;
  const size = pageSize(s.page_size);
  if (size) out.page_size = size;
  const job = jobId(s.job);
  if (job) out.job = job;
  return out;
}

export function runsQuery(s: AgentsSearch) {
  return { agent: s.agent, status: s.status, page: s.page ?? 1, page_size: s.page_size ?? 50 };
}

/** The whole filtered run history as a CSV download (the same filters, no paging). */
export function runsCsvHref(s: AgentsSearch): string {
  const p = new URLSearchParams();
  if (s.agent) p.set('agent', s.agent);
  if (s.status) p.set('status', s.status);
  const q = p.toString();
  return `/api/v1/agents/runs.csv${q ? `?${q}` : ''}`;
}
