import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

import { CopyChunks } from './copy-text.ts';

export { CopyChunks, copyFields } from './copy-text.ts';

/** Keep up to ~2 MB in flight: waiting for every write to drain left the parser and the server taking turns. */
const AHEAD_BYTES = 2 << 20;

/**
 * Streams rows into `table` with COPY, honouring backpressure, in writes of ≥ 64 KB (one write per
 * row costs more than the encoding). Returns the number of rows written.
 */
export async function copyRows<T>(
  client: pg.PoolClient,
  table: string,
  columns: readonly string[],
  /** Rows in batches: one await per batch, not per row (a third of the time of a fast parser). */
  batches: AsyncIterable<readonly T[]>,
  /** The row's COPY fields (see copyFields), without the newline. */
  toLine: (row: T) => string,
): Promise<number> {
  let n = 0;
  async function* chunks(): AsyncGenerator<Buffer[]> {
    const enc = new CopyChunks();
    for await (const batch of batches) {
      const out: Buffer[] = [];
      const full = (c: Buffer) => out.push(c);
      for (const row of batch) enc.push(toLine(row), full);
      n += batch.length;
      yield out;
    }
    const out: Buffer[] = [];
    enc.flush((c) => out.push(c));
    yield out;
  }
  await streamCopy(client, table, columns, chunks());
  return n;
}

/**
 * Streams COPY text already encoded (e.g. by a worker thread, see CopyChunks) into `table`, honouring
 * backpressure: each group of chunks is written, and the next one asked for only while less than
 * ~2 MB wait to be sent. `written` gets chunks back once sent: a worker's chunks transferred here
 * would otherwise pile up until this thread's next GC (up to ~64 MB of dead buffers, when this thread
 * allocates little), so the worker reuses them instead.
 */
async function streamCopy(
  client: pg.PoolClient,
  table: string,
  columns: readonly string[],
  groups: AsyncIterable<readonly Uint8Array[]>,
  /** Gets the chunks whose bytes have all been handed to the socket, so that they can be reused. */
  written?: (chunks: Uint8Array[]) => void,
): Promise<void> {
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  const pending: Uint8Array[] = [];
  try {
    for await (const group of groups) {
      for (const chunk of group) stream.write(chunk);
      if (stream.writableLength > AHEAD_BYTES) await Promise.race([once(stream, 'drain'), done]);
      if (written) {
        pending.push(...group);
        if (pending.length > 0 && idle(client, stream)) written(pending.splice(0));
      }
    }
    stream.end();
  } catch (err) {
    stream.destroy(err as Error);
    await done.catch(() => {});
    throw err;
  }
  await done;
  if (written && pending.length > 0) written(pending.splice(0));
}

/**
 * Whether every chunk written so far has left Node: the COPY stream holds none (pg-copy-streams
 * calls back once a chunk is given to the socket) and the socket has no write in progress (Node
 * counts a write until the kernel has taken all of it). The socket is pg's own (`connection.stream`,
 * which pg-copy-streams writes to as well); without it nothing counts as written.
 */
function idle(client: pg.PoolClient, stream: { writableLength: number }): boolean {
  const socket = (client as unknown as { connection?: { stream?: { writableLength?: number } } }).connection
    ?.stream;
  return stream.writableLength === 0 && socket?.writableLength === 0;
}

/** See streamCopy (one name for callers, so the table-ownership scan reads the table they name). */
export const copyChunks = streamCopy;

/**
 * A query's rows as COPY text (fields tab-separated, rows ended by a newline) in raw chunks: a
 * reader that parses the bytes itself holds no row objects and no strings per row.
 */
export function copyOutChunks(client: pg.PoolClient, query: string): AsyncIterable<Buffer> {
  return client.query(copyTo(`COPY (${query}) TO STDOUT`)) as AsyncIterable<Buffer>;
}

/**
 * The one bytea value of a query that returns one row of one column (e.g. a `string_agg` of
 * `int8send` values), read by binary COPY: the value arrives as its raw bytes, where a query's result
 * is text (hex, twice the size) that pg's client is slow to take in as one large message. Null for NULL.
 */
export async function copyOutBytea(client: pg.PoolClient, query: string): Promise<Buffer | null> {
  const parts: Buffer[] = [];
  for await (const chunk of client.query(copyTo(`COPY (${query}) TO STDOUT (FORMAT binary)`))) {
    parts.push(chunk as Buffer);
  }
  const all = Buffer.concat(parts);
  // the format's header: an 11-byte signature, 4 bytes of flags, a header extension (length + bytes)
  const at = 19 + all.readUInt32BE(15);
  if (all.length < at + 6 || all.readInt16BE(at) !== 1) {
    throw new Error('copyOutBytea: the query must return one row of one column');
  }
  const length = all.readInt32BE(at + 2);
  return length < 0 ? null : all.subarray(at + 6, at + 6 + length);
}
