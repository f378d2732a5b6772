import type { Kysely, Selectable } from 'kysely';
import type { AgentRunsTable, Database } from '../db/schema.ts';
import type { RunRecord, RunStatus, Trigger } from './types.ts';

type Row = Selectable<AgentRunsTable>;

export function toRecord(r: Row): RunRecord {
  return {
    agent: r.agent,
    run_id: r.id,
    status: r.status as RunRecord['status'],
    dry_run: r.dry_run,
    trigger: r.trigger as Trigger,
    job_id: r.job_id,
    // jsonb is any JSON to the schema; this column is only ever written from a run's counters
    counts: (r.counts ?? {}) as Record<string, number>,
    reason: r.reason,
    error: r.error,
    started_at: new Date(r.started_at).toISOString(),
    finished_at: r.finished_at ? new Date(r.finished_at).toISOString() : null,
    duration_ms: r.duration_ms,
  };
}

export async function insertRun(
  db: Kysely<Database>,
  run: { agent: string; dryRun: boolean; trigger: Trigger; jobId?: string; startedAt: Date },
): Promise<RunRecord> {
  const row = await db
    .insertInto('agent_runs')
    .values({
      agent: run.agent,
      status: 'running',
      dry_run: run.dryRun,
      trigger: run.trigger,
      job_id: run.jobId ?? null,
      started_at: run.startedAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

export async function finishRun(
  db: Kysely<Database>,
  id: string,
  fin: {
    status: RunStatus;
    counts: Record<string, number>;
    reason?: string;
    error?: string;
    finishedAt: Date;
    durationMs: number;
  },
): Promise<RunRecord> {
  const row = await db
    .updateTable('agent_runs')
    .set({
      status: fin.status,
      counts: JSON.stringify(fin.counts),
      reason: fin.reason ?? null,
      error: fin.error ?? null,
      finished_at: fin.finishedAt,
      duration_ms: Math.round(fin.durationMs),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

/** Runs of this job left `running` by a worker that died: closed as failed when the job is retried. */
export async function closeAbandonedRuns(db: Kysely<Database>, jobId: string, at: Date): Promise<number> {
  const r = await db
    .updateTable('agent_runs')
    .set({
      status: 'failed',
      error: 'abandoned: the worker stopped before the run finished; the job was retried',
      finished_at: at,
    })
    .where('job_id', '=', jobId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function updateRunCounts(
  db: Kysely<Database>,
  id: string,
  counts: Record<string, number | string>,
): Promise<void> {
  await db
    .updateTable('agent_runs')
    .set({ counts: JSON.stringify(counts) })
    .where('id', '=', id)
    .execute();
}

export interface RunFilter {
  agent?: string;
  status?: string;
  jobId?: string;
  limit: number;
  offset: number;
}

export async function listRuns(
  db: Kysely<Database>,
  f: RunFilter,
): Promise<{ total: number; runs: RunRecord[] }> {
  let q = db.selectFrom('agent_runs');
  if (f.agent) q = q.where('agent', '=', f.agent);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.jobId) q = q.where('job_id', '=', f.jobId);
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('started_at', 'desc').orderBy('id').limit(f.limit).offset(f.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { total: Number(count.n), runs: rows.map(toRecord) };
}

export type { RunStatus };
