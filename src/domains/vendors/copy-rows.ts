import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** Postgres COPY text format: tab-separated, `\N` for NULL, backslash escapes. */
function field(v: string | number | null): string {
  if (v === null) return '\\N';
  if (typeof v === 'number') return String(v);
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (ch) => ESC[ch]!) : v;
}
const ESC: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * Streams rows into `table` with COPY, honouring backpressure, in ~64 KB writes (one write per row
 * costs more than the encoding). Returns the number of rows written.
 */
export async function copyRows<T>(
  client: pg.PoolClient,
  table: string,
  columns: readonly string[],
  rows: AsyncIterable<T>,
  toValues: (row: T) => (string | number | null)[],
): Promise<number> {
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  let buf = '';
  let n = 0;
  try {
    for await (const row of rows) {
      buf += `${toValues(row).map(field).join('\t')}\n`;
      n += 1;
      if (buf.length >= 65536) {
        if (!stream.write(buf)) await Promise.race([once(stream, 'drain'), done]);
        buf = '';
      }
    }
    if (buf) stream.write(buf);
    stream.end();
  } catch (err) {
    stream.destroy(err as Error);
    await done.catch(() => {});
    throw err;
  }
  await done;
  return n;
}
