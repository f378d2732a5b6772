import pg from 'pg';
import type { Queryable } from '../../platform/db/queryable.ts';

/** Computed from pg_stat_user_tables, not a table of ours. */
export interface TableStats {
  table: string;
  live_rows: number;
  modified_since_analyze: number;
  last_analyzed: string | null;
}

export async function tableStats(q: Queryable): Promise<TableStats[]> {
  const { rows } = await q.query<TableStats>(
    `SELECT relname AS table, n_live_tup::int AS live_rows,
            n_mod_since_analyze::int AS modified_since_analyze,
            greatest(last_analyze, last_autoanalyze) AS last_analyzed
     FROM pg_stat_user_tables WHERE schemaname = 'public' ORDER BY relname`,
  );
  return rows;
}

export async function analyze(q: Queryable, table: string): Promise<void> {
  // ANALYZE takes no parameters: the name is quoted as an identifier instead
  await q.query(`ANALYZE ${pg.escapeIdentifier(table)}`);
}

export async function countAuditOlderThan(q: Queryable, cutoff: Date): Promise<number> {
  const { rows } = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE at < $1', [
    cutoff,
  ]);
  return rows[0]?.n ?? 0;
}

export async function deleteAuditOlderThan(q: Queryable, cutoff: Date): Promise<number> {
  const r = await q.query('DELETE FROM audit_log WHERE at < $1', [cutoff]);
  return r.rowCount ?? 0;
}

/**
 * Decisions are found through their runs (agent_runs' (agent, started_at) index, then repricer_log's
 * run_id index) so the nightly trim never scans a log of millions of rows. $1 is the cutoff.
 */
const OLD_RUNS = "SELECT id FROM agent_runs WHERE agent = 'repricer' AND started_at < $1";

export async function countRepricerLogBefore(q: Queryable, cutoff: Date): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM repricer_log WHERE run_id IN (${OLD_RUNS})`,
    [cutoff],
  );
  return rows[0]?.n ?? 0;
}

export async function deleteRepricerLogBefore(q: Queryable, cutoff: Date): Promise<number> {
  const r = await q.query(`DELETE FROM repricer_log WHERE run_id IN (${OLD_RUNS})`, [cutoff]);
  return r.rowCount ?? 0;
}
