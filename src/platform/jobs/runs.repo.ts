import { param, type Queryable } from '../db/queryable.ts';
import type { Tables } from '../db/tables.gen.ts';
import type { RunRecord, RunStatus, Trigger } from './types.ts';

type Row = Tables['agent_runs'];

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

/** The one row a write by id returns; none means the run was not there. */
function one(rows: Row[], id: string): Row {
  if (!rows[0]) throw new Error(`no agent run ${id}`);
  return rows[0];
}

export async function insertRun(
  q: Queryable,
  run: { agent: string; dryRun: boolean; trigger: Trigger; jobId?: string; startedAt: Date },
): Promise<RunRecord> {
  const { rows } = await q.query<Row>(
    `INSERT INTO agent_runs (agent, status, dry_run, trigger, job_id, started_at)
     VALUES ($1, 'running', $2, $3, $4, $5) RETURNING *`,
    [run.agent, run.dryRun, run.trigger, run.jobId ?? null, run.startedAt],
  );
  return toRecord(rows[0]!);
}

export async function finishRun(
  q: Queryable,
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
  const { rows } = await q.query<Row>(
    `UPDATE agent_runs SET status = $2, counts = $3, reason = $4, error = $5, finished_at = $6, duration_ms = $7
     WHERE id = $1 RETURNING *`,
    [
      id,
      fin.status,
      JSON.stringify(fin.counts),
      fin.reason ?? null,
      fin.error ?? null,
      fin.finishedAt,
      Math.round(fin.durationMs),
    ],
  );
  return toRecord(one(rows, id));
}

/** Runs of this job left `running` by a worker that died: closed as failed when the job is retried. */
export async function closeAbandonedRuns(q: Queryable, jobId: string, at: Date): Promise<number> {
  const r = await q.query(
    `UPDATE agent_runs SET status = 'failed',
       error = 'abandoned: the worker stopped before the run finished; the job was retried', finished_at = $2
     WHERE job_id = $1 AND status = 'running'`,
    [jobId, at],
  );
  return r.rowCount ?? 0;
}

export async function updateRunCounts(
  q: Queryable,
  id: string,
  counts: Record<string, number | string>,
): Promise<void> {
  await q.query('UPDATE agent_runs SET counts = $2 WHERE id = $1', [id, JSON.stringify(counts)]);
}

export interface RunFilter {
  agent?: string;
  status?: string;
  jobId?: string;
  limit: number;
  offset: number;
}

export async function listRuns(q: Queryable, f: RunFilter): Promise<{ total: number; runs: RunRecord[] }> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (f.agent) where.push(`agent = ${param(params, f.agent)}`);
  if (f.status) where.push(`status = ${param(params, f.status)}`);
  if (f.jobId) where.push(`job_id = ${param(params, f.jobId)}`);
  const cond = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const n = params.length;
  const [rows, count] = await Promise.all([
    q.query<Row>(
      `SELECT * FROM agent_runs ${cond} ORDER BY started_at DESC, id LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...params, f.limit, f.offset],
    ),
    q.query<{ n: number }>(`SELECT count(*) AS n FROM agent_runs ${cond}`, params),
  ]);
  return { total: Number(count.rows[0]!.n), runs: rows.rows.map(toRecord) };
}

export type { RunStatus };
