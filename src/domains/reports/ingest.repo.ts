import type pg from 'pg';
import type { ColumnSpec, ReportRow } from './parse/index.ts';

/** SQL of the report ingest outside the per-type merges. Runs on the ingest's transaction client. */

export const STAGE = 'stage_report';

// Staged values are already normalised text (ISO dates, plain decimals): Postgres only casts them.
const SQL_TYPES: Record<string, string> = {
  text: 'text',
  int: 'integer',
  decimal: 'numeric',
  date: 'date',
  timestamp: 'timestamptz',
  currency: 'text',
};

export function stageColumns(columns: readonly ColumnSpec[]): string[] {
  return ['line', 'summary', ...columns.map((c) => c.name)];
}

export function stageValues(r: Extract<ReportRow, { ok: true }>): (string | number | null)[] {
  return [r.line, r.summary ? 't' : 'f', ...r.values];
}

/** A temp table lives in the transaction only: a failed or dry-run ingest leaves nothing behind. */
export async function createStage(c: pg.PoolClient, columns: readonly ColumnSpec[]): Promise<void> {
  const cols = columns.map((col) => `${col.name} ${SQL_TYPES[col.kind] ?? 'text'}`).join(', ');
  await c.query(`CREATE TEMP TABLE ${STAGE} (line integer, summary boolean, ${cols}) ON COMMIT DROP`);
}

/** Fresh statistics on the staged rows let the planner pick a hash join for big files. */
export async function analyzeStage(c: pg.PoolClient): Promise<void> {
  await c.query(`ANALYZE ${STAGE}`);
}

/** Serialises ingests of the same file (until the transaction ends). */
export async function lockLoad(c: pg.PoolClient, source: string, sha256: string): Promise<void> {
  await c.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${source}:${sha256}`]);
}
