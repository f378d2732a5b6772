import path from 'node:path';
import { AppError } from '../errors.ts';
import { notASpreadsheet, sniffContainer } from './container.ts';
import { CsvRecords } from './csv-records.ts';
import { decodeSample, detectEncoding, SAMPLE_BYTES, toUtf8 } from './decode.ts';
import { type Delimiter, sniffDelimiter } from './delimiter.ts';
import { isBlankRaw } from './header-row.ts';
import { openByteSource } from './source.ts';
import type { HeaderSearch, RawRow, Table } from './types.ts';

/** Text tables (CSV, TSV, `.gz` of either): encoding and delimiter sniffed, header row searched. */
export async function openCsvTable<M>(
  file: string,
  opts: { fileName: string; gzip: boolean; header: () => HeaderSearch<M> },
): Promise<Table<M>> {
  const { fileName, gzip } = opts;
  const source = await openByteSource(file, gzip, fileName, SAMPLE_BYTES);
  let records: CsvRecords | undefined;
  try {
    if (source.sample.length === 0) throw new AppError('invalid', `${fileName} is empty`, { file: fileName });
    if (gzip) {
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
    const ext = path.extname(fileName.replace(/\.gz$/i, '')).toLowerCase();
    const delimiter = sniffDelimiter(sampleText, ext === '.tsv' ? '\t' : undefined) as Delimiter;
    // judged on the first MiB; see plainBatches for what happens when a quote turns up later
    const plain = !sampleText.includes('"') && sampleText.includes('\n');
    const recs = new CsvRecords(toUtf8(source.chunks(), detected, fileName), delimiter, fileName, plain);
    records = recs;

    const search = opts.header();
    let found: { row: RawRow; match: M } | null = null;
    while (!found && !search.exhausted) {
      const row = await recs.next();
      if (!row) break;
      if (isBlankRaw(row)) continue;
      const match = search.offer(row);
      if (match !== null) found = { row, match };
    }
    if (!found) throw search.error();

    // the rest of the chunk the header came in, so that no row is read twice or skipped
    const rest: RawRow[] = [];
    for (let r = recs.take(); r; r = recs.take()) if (!isBlankRaw(r)) rest.push(r);
    const close = async () => {
      await recs.close();
      source.close();
    };
    async function* batches(): AsyncGenerator<RawRow[]> {
      try {
        if (rest.length > 0) yield rest;
        while (await recs.fill()) {
          const out: RawRow[] = [];
          for (let r = recs.take(); r; r = recs.take()) if (!isBlankRaw(r)) out.push(r);
          if (out.length > 0) yield out;
        }
      } finally {
        await close();
      }
    }
    return {
      format: 'csv',
      encoding: detected.encoding,
      delimiter,
      compressed: gzip,
      headerRow: found.row,
      match: found.match,
      batches: batches(),
      close,
    };
  } catch (err) {
    await records?.close();
    source.close();
    throw err;
  }
}
