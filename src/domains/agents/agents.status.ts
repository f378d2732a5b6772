import { JOBS } from '../../jobs/registry.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { RunRecord } from '../../platform/jobs/index.ts';
import { lastRuns } from './agents.repo.ts';
import { agentHealth, scheduleTimes } from './agents.service.ts';

export interface AgentStatus {
  name: string;
  description: string;
  schedule: string | null;
  /** The gap between two scheduled runs as it stands now (ms); null: on demand only. */
  interval_ms: number | null;
  next_due_at: Date | null;
  /** Only scheduled agents run without input; the import jobs are queued by an upload. */
  runnable: boolean;
  last_run: RunRecord | null;
  /** When the last successful run that was not a dry run finished. */
  last_success_at: Date | null;
  /** Missed its schedule: no real success within twice its interval (dashboard's "overdue"). */
  stale: boolean;
  /** Since when it counts as stale (the last success, or installation, plus two intervals). */
  stale_since: Date | null;
  /** The newest run failed. */
  failed: boolean;
}

/**
 * Every agent with its schedule, its newest run and whether it missed its schedule, as of the
 * injected clock's now (the same rule as the dashboard's health card).
 */
export async function agentStatus(deps: {
  db: Db;
  config: Config;
  clock: { now(): Date };
}): Promise<AgentStatus[]> {
  const now = deps.clock.now();
  const [health, runs] = await Promise.all([
    agentHealth(deps),
    lastRuns(
      deps.db.pool,
      JOBS.map((j) => j.name),
    ),
  ]);
  const byName = new Map(health.map((h) => [h.name, h]));
  return JOBS.map((j) => {
    const h = byName.get(j.name)!;
    const interval = h.schedule ? scheduleTimes(h.schedule, now).interval_ms : 0;
    const since = h.last_success_at;
    return {
      name: j.name,
      description: j.description,
      schedule: h.schedule,
      interval_ms: interval > 0 ? interval : null,
      next_due_at: h.next_due_at,
      runnable: j.schedule !== undefined,
      last_run: runs.get(j.name) ?? null,
      last_success_at: since,
      stale: h.overdue,
      stale_since: h.overdue && since ? new Date(since.getTime() + 2 * interval) : null,
      failed: h.failed,
    };
  });
}
