import { Readable } from 'node:stream';

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`response body larger than ${limit} bytes`);
  }
}

function toBuffer(chunk: Uint8Array): Buffer {
  return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** The whole body, refusing more than `limit` bytes (a report file belongs in stream()). */
export async function readBody(res: Response, limit: number): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLarge(limit);
    }
    chunks.push(toBuffer(value));
  }
  return Buffer.concat(chunks, size);
}

/** The first `limit` bytes as text (an error page's explanation), dropping the rest. */
export async function readSnippet(res: Response, limit = 2048): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(toBuffer(value));
      size += value.byteLength;
    }
  } catch {
    // the snippet is a courtesy; the status already tells what failed
  } finally {
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

export interface GuardedBodyOptions {
  idleTimeoutMs: number;
  /** Called when no chunk arrived for idleTimeoutMs (should abort the fetch). */
  onIdle: () => void;
  /** Turns the fetch's read error into the error the consumer sees. */
  mapError: (err: unknown) => Error;
  /** Runs once when the stream ends, fails or is destroyed (releases the concurrency slot). */
  cleanup: () => void;
}

/**
 * A Node Readable over a fetch body with an idle timeout instead of a total one: a 2 GB report may
 * take many minutes, but a connection silent for idleTimeoutMs is dead. The timer runs only while
 * a read is pending, so a slow consumer (backpressure) never counts as a silent server.
 */
export function guardedBody(res: Response, opts: GuardedBodyOptions): Readable {
  const reader = res.body?.getReader();
  let timer: NodeJS.Timeout | undefined;
  let reading = false;
  let cleaned = false;
  const cleanup = () => {
    clearTimeout(timer);
    if (cleaned) return;
    cleaned = true;
    opts.cleanup();
  };
  return new Readable({
    read() {
      if (!reader) {
        this.push(null);
        return;
      }
      if (reading) return;
      reading = true;
      timer = setTimeout(opts.onIdle, opts.idleTimeoutMs);
      reader.read().then(
        ({ done, value }) => {
          clearTimeout(timer);
          reading = false;
          if (done) this.push(null);
          else this.push(toBuffer(value));
        },
        (err: unknown) => {
          clearTimeout(timer);
          reading = false;
          this.destroy(opts.mapError(err));
        },
      );
    },
    destroy(err, callback) {
      cleanup();
      if (reader) reader.cancel().catch(() => {});
      callback(err);
    },
  });
}
