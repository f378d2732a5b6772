import path from 'node:path';
import { openTable, type RawRow, type Table } from '../../../platform/tabular/index.ts';
import { CATALOG, parseReportType } from './catalog.ts';
import { ReportDates } from './date-evidence.ts';
import { type Detection, ReportHeaderSearch } from './detect.ts';
import { conventionsFor } from './locale.ts';
import { RowReader } from './rows.ts';
import type { OpenReportOptions, Report, ReportHeader, ReportRow } from './types.ts';

export {
  CATALOG,
  type ColumnKind,
  type ColumnSpec,
  type CopyTarget,
  columnKey,
  isReportType,
  parseReportType,
  REPORT_TYPES,
  type ReportSpec,
  type ReportType,
} from './catalog.ts';
export { type Conventions, conventionsFor } from './locale.ts';
export type { OpenReportOptions, Rejection, Report, ReportHeader, ReportRow } from './types.ts';

/**
 * Opens an Amazon report file (path on disk) of any of the catalog's types: detects container,
 * compression, encoding, delimiter or sheet, finds the header row (below any title rows), decides
 * the report type (or takes `opts.type`), and streams rows as catalog-aligned, COPY-ready values.
 * File-level problems throw AppError('invalid') naming the file; bad cells come back as rejected rows.
 */
export async function openReport(file: string, opts: OpenReportOptions): Promise<Report> {
  const fileName = opts.fileName ?? path.basename(file);
  const conv = conventionsFor(opts.marketplace);
  // callers pass user input through here too, so an unknown type fails with the list of known ones
  const forced = opts.type === undefined ? undefined : parseReportType(opts.type);
  const open = () =>
    openTable(file, {
      fileName,
      sheet: opts.sheet,
      maxUncompressedBytes: opts.maxUncompressedBytes,
      header: () => new ReportHeaderSearch(fileName, forced),
    });
  const table = await open();
  const { type, indexes } = table.match;
  const spec = CATALOG[type];
  const dates = new ReportDates(spec, indexes, table.headerRow.cells, fileName, conv);
  let ahead: RawRow[][];
  try {
    ahead = await settleDateOrder(table, dates, open);
  } catch (err) {
    await table.close();
    throw err;
  }
  dates.judge.reading = true;
  const reader = new RowReader(spec, indexes, table.headerRow.cells, conv, dates);

  async function* batches(): AsyncGenerator<ReportRow[]> {
    try {
      const held = ahead;
      ahead = [];
      for (const batch of held) yield batch.map((row) => reader.read(row));
      for await (const batch of table.batches) yield batch.map((row) => reader.read(row));
    } finally {
      await table.batches.return(undefined);
    }
  }
  async function* rows(): AsyncGenerator<ReportRow> {
    for await (const batch of batches()) yield* batch;
  }
  const columns: Record<string, string> = {};
  spec.columns.forEach((c, j) => {
    const at = indexes[j]!;
    if (at >= 0) columns[c.name] = (table.headerRow.cells[at] ?? '').trim();
  });
  const header: ReportHeader = {
    format: table.format,
    ...(table.encoding ? { encoding: table.encoding } : {}),
    ...(table.delimiter ? { delimiter: table.delimiter } : {}),
    compressed: table.compressed,
    ...(table.sheet !== undefined ? { sheet: table.sheet } : {}),
    headerLine: table.headerRow.line,
    columns,
  };
  return {
    type,
    header,
    rows: closing(rows(), table),
    batches: closing(batches(), table),
    dateOrder: () => dates.judge.basis,
    dateOrderUsed: () => dates.judge.used,
  };
}

/** Rows held while the pre-scan looks for the date order; past this it reads the file a second time. */
const AHEAD_ROWS = 10_000;

/**
 * Decides the file's day/month order before any row is handed on (date-evidence.ts says from what),
 * without holding the file: rows are read ahead until something in them settles the order — in an
 * Amazon ledger or settlement its first line (Country, Date and Time, marketplace-name) — and handed
 * back to be parsed. When the first AHEAD_ROWS rows hold no ambiguous date (ISO, dotted or zoned
 * dates, as in returns, reimbursements and listings), looking stops there: the main pass keeps
 * checking every value, and a later contradiction rejects the file. Only a file whose early dates
 * are ambiguous and settled by nothing nearby is read a second time, up to the first evidence or to
 * its end (then the marketplace decides). Cost: one extra date parse per row read ahead and at most
 * AHEAD_ROWS rows (plus one chunk) held; the main pass's per-row checks (ReportDates.check) are
 * ~50 ns a ledger row (bench/RESULTS.md, 2026-12-07).
 */
async function settleDateOrder(
  table: Table<Detection>,
  dates: ReportDates,
  reopen: () => Promise<Table<Detection>>,
): Promise<RawRow[][]> {
  const ahead: RawRow[][] = [];
  if (!dates.hasDates) return ahead;
  const settled = () => dates.judge.settledBy !== null;
  let held = 0;
  while (!settled() && held < AHEAD_ROWS) {
    const next = await table.batches.next();
    if (next.done) return ahead;
    ahead.push(next.value);
    held += next.value.length;
    for (const row of next.value) {
      dates.observe(row);
      if (settled()) break;
    }
  }
  if (settled() || !dates.sawAmbiguous) return ahead;
  const again = await reopen();
  try {
    for await (const batch of again.batches) {
      for (const row of batch) {
        dates.observe(row);
        if (settled()) return ahead;
      }
    }
  } finally {
    await again.close();
  }
  return ahead;
}

/** `return()` of a report's generator closes the file even when nothing was read yet. */
function closing<T>(gen: AsyncGenerator<T>, table: Table<unknown>): AsyncGenerator<T> {
  const done = gen.return.bind(gen);
  gen.return = async (value) => {
    try {
      return await done(value);
    } finally {
      await table.close();
    }
  };
  return gen;
}
