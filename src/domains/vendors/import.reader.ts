import { Worker } from 'node:worker_threads';
import { CHUNK_BYTES } from '../../platform/db/copy-text.ts';
import { AppError } from '../../platform/errors.ts';
import { type PassChunk, RepeatedSku, type ScreenPlan } from './import.screen.ts';
import type { OpenOptions, PriceListHeader } from './parse/index.ts';

/**
 * A price list read in a worker thread (import.worker.ts). The main thread of a million-row import
 * keeps only the database work: its young generation no longer grows to hold the parser's garbage
 * (that was most of the import's peak memory), and parsing runs beside the database's work.
 * File and row problems arrive as the same AppError (kind, message, details) the parser threw.
 */
export interface PriceListReader {
  header: PriceListHeader;
  /**
   * One pass over the rows (import.screen.ts), once per reader. Each chunk is acknowledged when the
   * next is asked for, so the parser stays at most a few chunks ahead of the database.
   */
  pass(plan: ScreenPlan, skipInvalid: boolean): AsyncGenerator<PassChunk>;
  /** Hands chunks the COPY has finished with back to the worker, to be filled again. */
  recycle(chunks: Uint8Array[]): void;
  /** Stops the worker (after the pass, or instead of it). */
  close(): Promise<void>;
}

export interface WorkerInput {
  /** Marks the worker's input: the entry module runs only when started from here. */
  priceList: true;
  file: string;
  opts: OpenOptions;
}

export type ToWorker =
  | { type: 'plan'; plan: ScreenPlan; skipInvalid: boolean }
  | { type: 'ack' }
  /** Chunk buffers the COPY has sent: the worker fills them again instead of allocating new ones. */
  | { type: 'free'; buffers: ArrayBuffer[] };

/** An error as it crosses the thread boundary: enough to rebuild the AppError (kind, message, details). */
export interface SentError {
  name: string;
  message: string;
  stack?: string;
  kind?: AppError['kind'];
  details?: unknown;
}

export type FromWorker =
  | { type: 'header'; header: PriceListHeader }
  | { type: 'chunk'; chunk: PassChunk }
  | { type: 'done' }
  | { type: 'error'; error: SentError };

/** Chunks (≤ 256 KB of COPY text each) the worker may send ahead of the main thread's acknowledgement. */
export const CREDITS = 4;

/**
 * The worker's heap: a small young generation (V8's default lets it grow to ~48 MB of mostly dead
 * strings before collecting), the old generation as Node sets it.
 */
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 12 };

function startWorker(input: WorkerInput): Worker {
  const options = { workerData: input, resourceLimits: RESOURCE_LIMITS };
  // the CLI runs a bundle (bin/awa.mjs) in which the worker's entry is built next to this chunk
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./import-worker.mjs', import.meta.url), options);
  // from source (tsx, the tests) the worker compiles TypeScript through tsx too; a worker does not
  // inherit the main thread's loader, and `--import tsx` among its execArgv is not applied
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(new URL('./import.worker.ts', import.meta.url).href);
  const boot = `import(${tsx}).then((m) => { m.register(); return import(${entry}); });`;
  return new Worker(boot, { ...options, eval: true });
}

/** The worker's messages in order, then the reason it stopped. */
class Inbox {
  private readonly queue: FromWorker[] = [];
  private wake: (() => void) | undefined;
  private failure: Error | undefined;

  push(m: FromWorker): void {
    this.queue.push(m);
    this.wake?.();
  }

  fail(err: Error): void {
    this.failure ??= err;
    this.wake?.();
  }

  async next(): Promise<FromWorker> {
    for (;;) {
      const m = this.queue.shift();
      if (m) return m;
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }
}

/** The worker's error as the main thread's own: AppError and RepeatedSku keep their class. */
export function revive(e: SentError): Error {
  let err: Error;
  if (e.name === 'AppError' && e.kind) err = new AppError(e.kind, e.message, e.details);
  else if (e.name === 'RepeatedSku') err = new RepeatedSku();
  else {
    err = new Error(e.message);
    err.name = e.name;
  }
  if (e.stack) err.stack = e.stack; // where the worker threw it
  return err;
}

/**
 * Opens the price list in a new worker; resolves with its header once the file's format and header
 * row are known, or rejects with the file's problem (AppError 'invalid', as openPriceList throws it).
 */
export async function openPriceListReader(file: string, opts: OpenOptions): Promise<PriceListReader> {
  const worker = startWorker({ priceList: true, file, opts });
  const inbox = new Inbox();
  worker.on('message', (m: FromWorker) => inbox.push(m));
  worker.on('error', (err) => inbox.fail(err));
  worker.on('exit', (code) => inbox.fail(new Error(`the price-list parser stopped (exit code ${code})`)));
  const close = async () => {
    await worker.terminate();
  };
  try {
    const first = await inbox.next();
    if (first.type === 'error') throw revive(first.error);
    if (first.type !== 'header')
      throw new Error(`the price-list parser sent ${first.type} before the header`);
    let used = false;
    async function* pass(plan: ScreenPlan, skipInvalid: boolean): AsyncGenerator<PassChunk> {
      if (used) throw new Error('a price-list reader makes one pass');
      used = true;
      // the stored fingerprints move to the worker (no copy); this thread has no more use for them
      const transfer = plan.mode === 'changed' ? [plan.stored.slots.buffer as ArrayBuffer] : [];
      worker.postMessage({ type: 'plan', plan, skipInvalid } satisfies ToWorker, transfer);
      for (;;) {
        const m = await inbox.next();
        if (m.type === 'done') return;
        if (m.type === 'error') throw revive(m.error);
        if (m.type === 'chunk') {
          yield m.chunk;
          worker.postMessage({ type: 'ack' } satisfies ToWorker);
        }
      }
    }
    const recycle = (chunks: Uint8Array[]) => {
      const buffers = chunks.map((c) => c.buffer as ArrayBuffer).filter((b) => b.byteLength === CHUNK_BYTES);
      if (buffers.length > 0) worker.postMessage({ type: 'free', buffers } satisfies ToWorker, buffers);
    };
    return { header: first.header, pass, recycle, close };
  } catch (err) {
    await close();
    throw err;
  }
}
