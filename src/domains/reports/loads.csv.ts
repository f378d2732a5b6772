import type { Db } from '../../platform/db/pool.ts';
// the ROI export's cell rules (formula starts defused, ISO times, BOM for Excel): one CSV dialect
import { BOM, csvLine } from '../../platform/tabular/csv-export.ts';
import { parseReportType } from './parse/index.ts';
import { type LoadItem, listLoads } from './reports.repo.ts';

export const LOAD_STATUSES = ['pending', 'success', 'failed', 'skipped'] as const;

export const LOAD_CSV_COLUMNS: readonly (keyof LoadItem)[] = [
  'id',
  'type',
  'marketplace',
  'file',
  'origin',
  'status',
  'rows',
  'inserted',
  'rejected',
  'actor',
  'source',
  'started_at',
  'finished_at',
  'duration_ms',
];

// loads are one row per file: a few thousand over years, so plain pages of this size suffice
const BATCH = 1000;

/**
 * GET /reports/loads.csv: every load the filter matches, newest first, as GET /reports/loads pages
 * them. The type is checked before the first byte, so a bad one is a 400 and not a broken download.
 */
export function loadsCsv(db: Db, q: { type?: string; status?: string }, now: Date) {
  const type = q.type ? parseReportType(q.type) : undefined;
  async function* lines(): AsyncGenerator<string> {
    yield BOM + csvLine(LOAD_CSV_COLUMNS);
    for (let offset = 0; ; offset += BATCH) {
      const { items } = await listLoads(db.pool, { type, status: q.status, limit: BATCH, offset });
      if (items.length > 0) yield items.map((r) => csvLine(LOAD_CSV_COLUMNS.map((c) => r[c]))).join('');
      if (items.length < BATCH) return;
    }
  }
  return { filename: `awa-report-loads-${now.toISOString().slice(0, 10)}.csv`, lines: lines() };
}
