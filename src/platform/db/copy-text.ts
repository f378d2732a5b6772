/** Postgres COPY text without a database client: a worker thread encodes rows without loading pg. */

const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESC: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * The fields of one row in Postgres COPY text format: tab-separated, `\N` for NULL, backslash
 * escapes; no newline. A plain loop: map + join cost a third of a million-row report's encoding.
 */
export function copyFields(values: readonly (string | number | null | undefined)[]): string {
  let out = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const f =
      v === null || v === undefined
        ? '\\N'
        : typeof v === 'number'
          ? String(v)
          : SPECIAL.test(v)
            ? v.replace(SPECIALS, (ch) => ESC[ch]!)
            : v;
    out = i === 0 ? f : `${out}\t${f}`;
  }
  return out;
}

/** Bytes of COPY text per chunk handed on: one write per row costs more than encoding it. */
export const CHUNK_BYTES = 256 << 10;

/**
 * COPY lines encoded straight into UTF-8 chunks of about CHUNK_BYTES: appending lines to a string and
 * converting it every 64 KB flattened a rope of hundreds of pieces each time, which cost more than
 * parsing the rows. Every chunk has a buffer of its own (never Node's shared pool), so a worker
 * thread can transfer it instead of copying.
 */
export class CopyChunks {
  private chunk: Buffer;
  private used = 0;

  /** `alloc`: a new chunk of CHUNK_BYTES (e.g. one the COPY has finished writing, handed back). */
  constructor(private readonly alloc: () => Buffer = () => Buffer.allocUnsafeSlow(CHUNK_BYTES)) {
    this.chunk = alloc();
  }

  /** Appends one line (its fields, without the newline); `full` gets each chunk that is done. */
  push(fields: string, full: (chunk: Buffer) => void): void {
    const line = `${fields}\n`;
    // a UTF-16 code unit takes at most 3 bytes in UTF-8
    if (this.used + line.length * 3 > CHUNK_BYTES) {
      this.flush(full);
      if (line.length * 3 > CHUNK_BYTES) {
        const big = Buffer.allocUnsafeSlow(Buffer.byteLength(line));
        big.write(line);
        full(big);
        return;
      }
    }
    this.used += this.chunk.write(line, this.used);
  }

  /** Hands on what the current chunk holds, if anything. */
  flush(full: (chunk: Buffer) => void): void {
    if (this.used === 0) return;
    full(this.chunk.subarray(0, this.used));
    this.chunk = this.alloc();
    this.used = 0;
  }
}
