import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { AppError } from '../errors.ts';

export interface ByteSource {
  /** The first bytes (after decompression), at least `sampleBytes` unless the file is shorter. */
  sample: Buffer;
  /** True when `sample` is the whole content. */
  complete: boolean;
  /** All bytes from the start, sample included; read once. */
  chunks(): AsyncGenerator<Buffer>;
  close(): void;
}

function gzipError(fileName: string, err: unknown): AppError {
  const msg = err instanceof Error ? err.message : String(err);
  return new AppError('invalid', `${fileName} is a corrupt or truncated gzip file (${msg})`, {
    file: fileName,
    cause: msg,
  });
}

/**
 * Reads the file (gunzipping when it is gzip) far enough to judge encoding and delimiter, then hands
 * out the full byte stream without reading anything twice or holding more than the sample.
 */
export async function openByteSource(
  file: string,
  gzip: boolean,
  fileName: string,
  sampleBytes: number,
): Promise<ByteSource> {
  const raw = createReadStream(file, { highWaterMark: 1 << 16 });
  let stream: Readable = raw;
  if (gzip) {
    const gunzip = createGunzip();
    raw.on('error', (err) => gunzip.destroy(err));
    stream = raw.pipe(gunzip);
  }
  const it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const next = async (): Promise<IteratorResult<Buffer>> => {
    try {
      return await it.next();
    } catch (err) {
      throw gzip && !(err as NodeJS.ErrnoException).syscall ? gzipError(fileName, err) : err;
    }
  };
  const head: Buffer[] = [];
  let size = 0;
  let complete = false;
  try {
    while (size < sampleBytes) {
      const r = await next();
      if (r.done) {
        complete = true;
        break;
      }
      head.push(r.value);
      size += r.value.length;
    }
  } catch (err) {
    stream.destroy();
    raw.destroy();
    throw err;
  }
  const sample = Buffer.concat(head);
  let used = false;
  return {
    sample,
    complete,
    async *chunks() {
      if (used) throw new Error('byte source already read');
      used = true;
      for (const b of head.splice(0)) yield b;
      if (complete) return;
      for (let r = await next(); !r.done; r = await next()) yield r.value;
    },
    close() {
      stream.destroy();
      raw.destroy();
    },
  };
}
