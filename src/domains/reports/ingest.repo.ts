import { hash } from 'node:crypto';
import type pg from 'pg';
import { copyFields } from '../../platform/db/copy.ts';
import type { ColumnSpec, ReportRow, ReportType } from './parse/index.ts';

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

// The inventory ledger has no row id: its rows are told apart by a hash of their normalised cells
// (merge.repo.ts). Node's md5 costs ~0.75 µs a row where Postgres's md5(concat(…)) took ~4 µs.
const HASHED = new Set<ReportType>(['inventory_ledger']);

export function stageColumns(type: ReportType, columns: readonly ColumnSpec[]): string[] {
  const cols = ['line', 'summary', ...columns.map((c) => c.name)];
  return HASHED.has(type) ? [...cols, 'row_hash'] : cols;
}

/** A parsed row as the COPY line of `stageColumns(type, …)`. */
export function stageLine(type: ReportType): (r: Extract<ReportRow, { ok: true }>) => string {
  if (!HASHED.has(type)) return (r) => `${r.line}\t${r.summary ? 't' : 'f'}\t${copyFields(r.values)}`;
  // the hash is over the row's COPY fields: normalised values, so a re-saved report hashes the same
  return (r) => {
    const fields = copyFields(r.values);
    return `${r.line}\tf\t${fields}\t\\\\x${hash('md5', fields)}`;
  };
}

/** A temp table lives in the transaction only: a failed or dry-run ingest leaves nothing behind. */
export async function createStage(c: pg.PoolClient, type: ReportType, columns: readonly ColumnSpec[]) {
  const cols = columns.map((col) => `${col.name} ${SQL_TYPES[col.kind] ?? 'text'}`).join(', ');
  const rowHash = HASHED.has(type) ? ', row_hash bytea' : '';
  await c.query(
    `CREATE TEMP TABLE ${STAGE} (line integer, summary boolean, ${cols}${rowHash}) ON COMMIT DROP`,
  );
}

/** Fresh statistics on the staged rows let the planner pick a hash join for big files. */
export async function analyzeStage(c: pg.PoolClient): Promise<void> {
  await c.query(`ANALYZE ${STAGE}`);
}
