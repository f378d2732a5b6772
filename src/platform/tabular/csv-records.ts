import { CsvError, parse } from 'csv-parse';
import { AppError } from '../errors.ts';
import { LineRow } from './line-row.ts';
import type { RawRow } from './types.ts';

/** An unbalanced quote would otherwise swallow the rest of the file into one field. */
const MAX_RECORD_CHARS = 1 << 20;

function countBreaks(field: string): number {
  let n = 0;
  let i = field.indexOf('\n');
  if (i === -1) {
    // old Mac line ends
    for (i = field.indexOf('\r'); i !== -1; i = field.indexOf('\r', i + 1)) n++;
    return n;
  }
  for (; i !== -1; i = field.indexOf('\n', i + 1)) n++;
  return n;
}

function csvError(fileName: string, err: unknown): unknown {
  if (!(err instanceof CsvError)) return err;
  const line = (err as CsvError & { lines?: number }).lines;
  const reason =
    err.code === 'CSV_MAX_RECORD_SIZE' ? 'a quoted field never ends (unbalanced quote)' : err.message;
  return new AppError('invalid', `${fileName}: ${line ? `line ${line}: ` : ''}${reason}`, {
    file: fileName,
    line,
    code: err.code,
  });
}

/**
 * Drives csv-parse synchronously, one input chunk at a time, and hands out the records of each chunk
 * as a batch: a promise per batch instead of one per record roughly halves the cost of a large file.
 */
async function* batches(source: AsyncIterable<Buffer>, delimiter: string, fileName: string) {
  const parser = parse({
    delimiter,
    bom: false,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    max_record_size: MAX_RECORD_CHARS,
  });
  let batch: string[][] = [];
  // 'data' fires synchronously inside write(), as the parser pushes each record
  parser.on('data', (r: string[]) => batch.push(r));
  parser.on('error', () => {});
  try {
    for await (const chunk of source) {
      parser.write(chunk);
      if (parser.errored) throw csvError(fileName, parser.errored);
      if (batch.length > 0) {
        const out = batch;
        batch = [];
        yield out;
      }
    }
    await new Promise<void>((resolve) => parser.end(() => resolve()));
    if (parser.errored) throw csvError(fileName, parser.errored);
    if (batch.length > 0) yield batch;
  } finally {
    parser.destroy();
  }
}

/**
 * Delimited text without quote characters: a record is a line and a field is what lies between
 * delimiters, so native string splitting reads it several times faster than csv-parse (which took
 * ~85 % of an ingest's parse time). Tab-separated text keeps this to the end — Amazon's reports never
 * quote, a quote there is part of the text. Other text switches to csv-parse at the first chunk with a
 * quote (from the start of that chunk's first unfinished line), where quoting may begin.
 */
async function* plainBatches(source: AsyncIterable<Buffer>, delimiter: string, fileName: string) {
  const it = source[Symbol.asyncIterator]();
  let rest = '';
  for (let r = await it.next(); !r.done; r = await it.next()) {
    const chunk = r.value.toString('utf8');
    if (delimiter !== '\t' && chunk.includes('"')) {
      yield* batches(resume(rest, chunk, it), delimiter, fileName);
      return;
    }
    const lines = (rest + chunk).split('\n');
    rest = lines.pop()!;
    if (rest.length > MAX_RECORD_CHARS) {
      throw new AppError('invalid', `${fileName}: a line is longer than ${MAX_RECORD_CHARS} characters`, {
        file: fileName,
      });
    }
    yield lines.map(withoutCr);
  }
  if (rest.length > 0) yield [withoutCr(rest)];
}

/** The unread text again as bytes: the unfinished line, the chunk just read, then the rest. */
async function* resume(rest: string, chunk: string, it: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield Buffer.from(rest + chunk, 'utf8');
  for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
}

/** A plain line without its CR (of a CRLF line end), split into cells only when they are read (LineRow). */
function withoutCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

function countCr(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\r'); i !== -1; i = text.indexOf('\r', i + 1)) n++;
  return n;
}

/**
 * Records with their physical line number. csv-parse emits one record per line, blank ones
 * included (empty lines are not skipped), so a record starts on the line after the previous one
 * ended; only quoted line breaks make a record span several lines.
 */
export class CsvRecords {
  /** Records of csv-parse (cells), or plain lines (split when read). */
  private batch: (string[] | string)[] = [];
  private pos = 0;
  private line = 1;
  private readonly source: AsyncGenerator<(string[] | string)[]>;

  /** `plain`: the sample has no quote character and ends lines with \n (see plainBatches). */
  constructor(
    bytes: AsyncIterable<Buffer>,
    private readonly delimiter: string,
    fileName: string,
    plain = false,
  ) {
    this.source = plain ? plainBatches(bytes, delimiter, fileName) : batches(bytes, delimiter, fileName);
  }

  /** The next record already parsed, without waiting; null when the current batch is used up. */
  take(): RawRow | null {
    if (this.pos >= this.batch.length) return null;
    const record = this.batch[this.pos++]!;
    if (typeof record === 'string') {
      const row = new LineRow(this.line, record, this.delimiter);
      // a lone CR inside a plain line is a line break, as in a cell below
      this.line += record.includes('\r') ? 1 + countCr(record) : 1;
      return row;
    }
    const cells = record;
    const row: RawRow = { line: this.line, cells };
    this.line += 1;
    for (const c of cells)
      if (c.length > 0 && (c.includes('\n') || c.includes('\r'))) this.line += countBreaks(c);
    return row;
  }

  /** Parses the next chunk; false at the end of the file. */
  async fill(): Promise<boolean> {
    const r = await this.source.next();
    if (r.done) return false;
    this.batch = r.value;
    this.pos = 0;
    return true;
  }

  async next(): Promise<RawRow | null> {
    for (;;) {
      const row = this.take();
      if (row) return row;
      if (!(await this.fill())) return null;
    }
  }

  async close(): Promise<void> {
    this.batch = [];
    await this.source.return(undefined);
  }
}
