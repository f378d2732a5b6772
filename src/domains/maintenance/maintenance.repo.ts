import { sql } from 'kysely';
import type { Db } from '../../platform/db/pool.ts';

export interface TableStats {
  table: string;
  live_rows: number;
  modified_since_analyze: number;
  last_analyzed: string | null;
}

export async function tableStats(db: Db): Promise<TableStats[]> {
  const { rows } = await sql<TableStats>`
    SELECT relname AS table, n_live_tup::int AS live_rows,
           n_mod_since_analyze::int AS modified_since_analyze,
           greatest(last_analyze, last_autoanalyze) AS last_analyzed
    FROM pg_stat_user_tables WHERE schemaname = 'public' ORDER BY relname`.execute(db.kysely);
  return rows;
}

export async function analyze(db: Db, table: string): Promise<void> {
  await sql`ANALYZE ${sql.table(table)}`.execute(db.kysely);
}

export async function countAuditOlderThan(db: Db, cutoff: Date): Promise<number> {
  const r = await db.kysely
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('at', '<', cutoff)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function deleteAuditOlderThan(db: Db, cutoff: Date): Promise<number> {
  const r = await db.kysely.deleteFrom('audit_log').where('at', '<', cutoff).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/**
 * Decisions are found through their runs (agent_runs' (agent, started_at) index, then repricer_log's
 * run_id index) so the nightly trim never scans a log of millions of rows.
 */
const OLD_RUNS = (cutoff: Date) =>
  sql`SELECT id FROM agent_runs WHERE agent = 'repricer' AND started_at < ${cutoff}`;

export async function countRepricerLogBefore(db: Db, cutoff: Date): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM repricer_log WHERE run_id IN (${OLD_RUNS(cutoff)})`.execute(db.kysely);
  return rows[0]?.n ?? 0;
}

export async function deleteRepricerLogBefore(db: Db, cutoff: Date): Promise<number> {
  const r = await sql`DELETE FROM repricer_log WHERE run_id IN (${OLD_RUNS(cutoff)})`.execute(db.kysely);
  return Number(r.numAffectedRows ?? 0);
}
