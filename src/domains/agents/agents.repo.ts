import type { Queryable } from '../../platform/db/queryable.ts';
import type { Tables } from '../../platform/db/tables.gen.ts';
import { toRecord } from '../../platform/jobs/runs.repo.ts';
import type { RunRecord } from '../../platform/jobs/types.ts';

/** Reads of agent_runs beyond the run list (platform/jobs/runs.repo.ts): each agent's latest runs. */

export interface LatestRuns {
  agent: string;
  last_status: string | null;
  last_started_at: Date | null;
  last_error: string | null;
  /** When the last successful run that was not a dry run finished. */
  last_success_at: Date | null;
}

/** Per agent its newest run and its newest real success: two probes of agent_runs_agent_idx each. */
export async function latestRuns(q: Queryable, agents: string[]): Promise<LatestRuns[]> {
  const { rows } = await q.query<LatestRuns>(
    `SELECT a.agent, l.status AS last_status, l.started_at AS last_started_at, l.error AS last_error,
            s.at AS last_success_at
     FROM unnest($1::text[]) AS a(agent)
     LEFT JOIN LATERAL (
       SELECT status, started_at, error FROM agent_runs r WHERE r.agent = a.agent
       ORDER BY started_at DESC, id LIMIT 1
     ) l ON true
     LEFT JOIN LATERAL (
       SELECT coalesce(finished_at, started_at) AS at FROM agent_runs r
       WHERE r.agent = a.agent AND r.status = 'success' AND NOT r.dry_run
       ORDER BY started_at DESC LIMIT 1
     ) s ON true`,
    [agents],
  );
  return rows;
}

/** When this database was set up (its first migration): the start of every agent's history. */
export async function installedAt(q: Queryable): Promise<Date | null> {
  const { rows } = await q.query<{ at: Tables['schema_migrations']['applied_at'] | null }>(
    'SELECT min(applied_at) AS at FROM schema_migrations',
  );
  return rows[0]?.at ?? null;
}

/** Each agent's newest run in full (counts, duration, error): one probe of agent_runs_agent_idx each. */
export async function lastRuns(q: Queryable, agents: string[]): Promise<Map<string, RunRecord>> {
  const { rows } = await q.query<Tables['agent_runs']>(
    `SELECT l.* FROM unnest($1::text[]) AS a(agent)
     JOIN LATERAL (
       SELECT * FROM agent_runs r WHERE r.agent = a.agent ORDER BY started_at DESC, id LIMIT 1
     ) l ON true`,
    [agents],
  );
  return new Map(rows.map((r) => [r.agent, toRecord(r)]));
}
