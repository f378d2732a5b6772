import { JOBS, schedulesFor } from '../../jobs/registry.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/pool.ts';
import { AppError } from '../../platform/errors.ts';
import { type JobQueue, listRuns, type RunRecord } from '../../platform/jobs/index.ts';

export interface Page {
  page: number;
  page_size: number;
}

export function listAgents(config: Config) {
  const schedules = schedulesFor(config);
  return JOBS.map((j) => ({
    name: j.name,
    description: j.description,
    schedule: schedules.get(j.name) ?? null,
  }));
}

export async function recentRuns(db: Db, f: { agent?: string; status?: string } & Page) {
  const { total, runs } = await listRuns(db.kysely, {
    agent: f.agent,
    status: f.status,
    limit: f.page_size,
    offset: (f.page - 1) * f.page_size,
  });
  return { total, page: f.page, page_size: f.page_size, items: runs };
}

export async function enqueueAgent(jobs: JobQueue, name: string, dryRun: boolean) {
  const jobId = await jobs.enqueue(name, { dry_run: dryRun, trigger: 'api' });
  return { job_id: jobId, agent: name, dry_run: dryRun, state: 'created' };
}

/** A job's queue state plus the agent runs it produced (one per attempt). */
export async function jobStatus(jobs: JobQueue, db: Db, id: string) {
  const job = await jobs.status(id);
  if (!job) throw new AppError('not_found', `no job ${id}`);
  const { runs } = await listRuns(db.kysely, { jobId: id, limit: 20, offset: 0 });
  return { ...job, runs: runs as RunRecord[] };
}
