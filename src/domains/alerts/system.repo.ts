import type { Queryable } from '../../platform/db/queryable.ts';

/** Reads for system alerts: the job queue (pg-boss's table) and agent runs; nothing here writes. */

/** Jobs waiting to start for longer than `olderThanS`, per queue; empty without pg-boss's schema. */
export async function queueBacklog(
  c: Queryable,
  now: Date,
  olderThanS: number,
): Promise<{ name: string; waiting: number }[]> {
  const { rows: has } = await c.query(`SELECT to_regclass('pgboss.job') IS NOT NULL AS ok`);
  if (!has[0]?.ok) return [];
  const { rows } = await c.query(
    `SELECT name, count(*)::int AS waiting FROM pgboss.job
     WHERE state IN ('created', 'retry') AND start_after < $1::timestamptz - $2 * interval '1 second'
     GROUP BY name ORDER BY waiting DESC`,
    [now, olderThanS],
  );
  return rows;
}

/** Agents whose newest real run failed because Amazon refused the SP-API login. */
export async function agentsRefusedByLwa(
  c: Queryable,
  prefix: string,
): Promise<{ agent: string; error: string }[]> {
  const { rows } = await c.query(
    `SELECT agent, error FROM (
       SELECT DISTINCT ON (agent) agent, status, error FROM agent_runs
       WHERE NOT dry_run AND status IN ('success', 'failed') ORDER BY agent, started_at DESC) last
     WHERE status = 'failed' AND starts_with(error, $1)`,
    [prefix],
  );
  return rows;
}
