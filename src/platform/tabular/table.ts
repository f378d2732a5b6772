import path from 'node:path';
import { AppError } from '../errors.ts';
import { notASpreadsheet, readHead, sniffContainer } from './container.ts';
import { openCsvTable } from './csv.ts';
import type { RawRow, Table, TableOptions } from './types.ts';
import { openXlsxTable } from './xlsx.ts';

const XLSX_EXT = new Set(['.xlsx', '.xlsm']);

/**
 * Opens a table file (path on disk) of any supported kind — CSV/TSV/TXT in UTF-8, UTF-16 or
 * Windows-1252, any of those gzipped, or XLSX — and finds its header row with the caller's search.
 * The kind is judged from the bytes, not the name, so renamed files are told apart; file-level
 * problems throw AppError('invalid') naming `fileName`. Rows stream lazily through `batches`.
 */
export async function openTable<M>(file: string, opts: TableOptions<M>): Promise<Table<M>> {
  const fileName = opts.fileName ?? path.basename(file);
  const { head, size } = await readHead(file, 512, fileName);
  if (size === 0) throw new AppError('invalid', `${fileName} is empty (0 bytes)`, { file: fileName });
  const container = sniffContainer(head);
  if (container.kind === 'foreign') throw notASpreadsheet(fileName, container.label);
  if (container.kind === 'zip') {
    return openXlsxTable(file, {
      fileName,
      sheet: opts.sheet,
      maxUncompressedBytes: opts.maxUncompressedBytes,
      header: opts.header,
    });
  }
  if (XLSX_EXT.has(path.extname(fileName).toLowerCase())) {
    const label = container.kind === 'gzip' ? 'a gzip file' : 'a text file; rename it to .csv if it is one';
    throw notASpreadsheet(fileName, label);
  }
  return openCsvTable(file, { fileName, gzip: container.kind === 'gzip', header: opts.header });
}

/** The rows of a table one by one, for callers that don't need batches. */
export async function* tableRows(table: Table<unknown>): AsyncGenerator<RawRow> {
  for await (const batch of table.batches) yield* batch;
}
