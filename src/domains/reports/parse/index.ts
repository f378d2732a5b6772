import path from 'node:path';
import { openTable } from '../../../platform/tabular/index.ts';
import { CATALOG, parseReportType } from './catalog.ts';
import { ReportHeaderSearch } from './detect.ts';
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
  const table = await openTable(file, {
    fileName,
    sheet: opts.sheet,
    maxUncompressedBytes: opts.maxUncompressedBytes,
    header: () => new ReportHeaderSearch(fileName, forced),
  });
  const { type, indexes } = table.match;
  const spec = CATALOG[type];
  const reader = new RowReader(spec, indexes, table.headerRow.cells, conv);

  async function* batches(): AsyncGenerator<ReportRow[]> {
    for await (const batch of table.batches) yield batch.map((row) => reader.read(row));
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
  return { type, header, rows: rows(), batches: batches() };
}
