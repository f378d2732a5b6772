import path from 'node:path';
import { AppError } from '../../../platform/errors.ts';
import { CsvRecords } from './csv-records.ts';
import { decodeSample, detectEncoding, SAMPLE_BYTES, toUtf8 } from './decode.ts';
import { type Delimiter, sniffDelimiter } from './delimiter.ts';
import { notASpreadsheet, sniffContainer } from './detect.ts';
import { HeaderScanner, isBlankRow } from './header-row.ts';
import { columnNames, validatorForHeader } from './row.ts';
import { openByteSource } from './source.ts';
import type { Field, PriceList, RawRow, RowResult } from './types.ts';

export async function openCsv(
  file: string,
  opts: { gzip: boolean; currency: string; map?: Record<string, Field> },
): Promise<PriceList> {
  const fileName = path.basename(file);
  const source = await openByteSource(file, opts.gzip, fileName, SAMPLE_BYTES);
  let records: CsvRecords | undefined;
  try {
    if (source.sample.length === 0) throw new AppError('invalid', `${fileName} is empty`, { file: fileName });
    if (opts.gzip) {
      const inner = sniffContainer(source.sample);
      if (inner.kind === 'zip' || inner.kind === 'gzip') {
        throw new AppError('invalid', `${fileName}: a compressed archive inside gzip is not supported`, {
          file: fileName,
        });
      }
      if (inner.kind === 'foreign') throw notASpreadsheet(fileName, inner.label);
    }
    const detected = detectEncoding(source.sample, source.complete, fileName);
    const sampleText = decodeSample(source.sample, detected);
    const ext = path.extname(file.replace(/\.gz$/i, '')).toLowerCase();
    const delimiter = sniffDelimiter(sampleText, ext === '.tsv' ? '\t' : undefined) as Delimiter;
    const recs = new CsvRecords(toUtf8(source.chunks(), detected, fileName), delimiter, fileName);
    records = recs;

    const scanner = new HeaderScanner(opts.map);
    let found: { row: RawRow; columns: Partial<Record<Field, number>> } | null = null;
    while (!found && !scanner.exhausted) {
      const row = await recs.next();
      if (!row) break;
      const mapping = scanner.offer(row, fileName);
      if (mapping) found = { row, columns: mapping.columns };
    }
    if (!found) throw scanner.error(fileName);
    const { row: headerRow, columns } = found;
    const { perCase, validate } = validatorForHeader(headerRow, columns, opts.currency);

    async function* rows(): AsyncGenerator<RowResult> {
      try {
        for (;;) {
          const row = recs.take();
          if (!row) {
            if (await recs.fill()) continue;
            break;
          }
          if (isBlankRow(row.cells)) continue;
          const result = validate(row);
          if (result) yield result;
        }
      } finally {
        await recs.close();
        source.close();
      }
    }
    return {
      header: {
        format: 'csv',
        encoding: detected.encoding,
        delimiter,
        compressed: opts.gzip,
        headerLine: headerRow.line,
        columns: columnNames(headerRow, columns),
        perCase,
      },
      rows: rows(),
    };
  } catch (err) {
    await records?.close();
    source.close();
    throw err;
  }
}
