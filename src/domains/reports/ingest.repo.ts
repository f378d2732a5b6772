import { hash } from 'node:crypto';
import { copyFields } from '../../platform/db/copy.ts';
import type { Queryable } from '../../platform/db/queryable.ts';
import { CATALOG, type ColumnSpec, type ReportRow, type ReportType } from './parse/index.ts';

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
// and by how many identical rows precede it in the report (merge.repo.ts). Node's md5 costs ~0.75 µs
// a row where Postgres's md5(concat(…)) took ~4 µs.
const HASHED = new Set<ReportType>(['inventory_ledger']);

export function stageColumns(type: ReportType, columns: readonly ColumnSpec[]): string[] {
  const cols = ['line', 'summary', ...columns.map((c) => c.name)];
  return HASHED.has(type) ? [...cols, 'row_hash', 'occurrence'] : cols;
}

/** A parsed row as the COPY line of `stageColumns(type, …)`; one function per file (it counts). */
export function stageLine(type: ReportType): (r: Extract<ReportRow, { ok: true }>) => string {
  if (!HASHED.has(type)) return (r) => `${r.line}\t${r.summary ? 't' : 'f'}\t${copyFields(r.values)}`;
  const dateAt = CATALOG[type].columns.findIndex((c) => c.name === 'event_date');
  const occurrence = occurrenceCounter();
  // the hash is over the row's COPY fields: normalised values, so a re-saved report hashes the same
  return (r) => {
    const fields = copyFields(r.values);
    const h = hash('md5', fields);
    return `${r.line}\tf\t${fields}\t\\\\x${h}\t${occurrence(r.values[dateAt] ?? '', h)}`;
  };
}

/**
 * Numbers identical rows (same date, same hash) in file order, as the merge's key needs. Identical
 * rows share their date, and Amazon writes the ledger in date order, so only the current day's
 * hashes are held (tens of thousands, not millions). A date seen before, after another one, means
 * the file is not in date order: from there on the count is left to the merge (NULL), which numbers
 * the whole stage with a window instead.
 */
export function occurrenceCounter(): (date: string, hash: string) => string {
  let day: string | undefined;
  const counts = new Map<string, number>();
  const done = new Set<string>();
  let ordered = true;
  return (date, h) => {
    if (!ordered) return '\\N';
    if (date !== day) {
      if (done.has(date)) {
        ordered = false;
        return '\\N';
      }
      if (day !== undefined) done.add(day);
      day = date;
      counts.clear();
    }
    const n = (counts.get(h) ?? 0) + 1;
    counts.set(h, n);
    return String(n);
  };
}

/** A temp table lives in the transaction only: a failed or dry-run ingest leaves nothing behind. */
export async function createStage(q: Queryable, type: ReportType, columns: readonly ColumnSpec[]) {
  const cols = columns.map((col) => `${col.name} ${SQL_TYPES[col.kind] ?? 'text'}`).join(', ');
  const rowHash = HASHED.has(type) ? ', row_hash bytea, occurrence integer' : '';
  await q.query(
    `CREATE TEMP TABLE ${STAGE} (line integer, summary boolean, ${cols}${rowHash}) ON COMMIT DROP`,
  );
}

/** Fresh statistics on the staged rows let the planner pick a hash join for big files. */
export async function analyzeStage(q: Queryable): Promise<void> {
  await q.query(`ANALYZE ${STAGE}`);
}
