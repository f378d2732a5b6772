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
