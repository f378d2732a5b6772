import { parentPort, workerData } from 'node:worker_threads';
import { CHUNK_BYTES } from '../../platform/db/copy-text.ts';
import { AppError } from '../../platform/errors.ts';
import {
  CREDITS,
  type FromWorker,
  type SentError,
  type ToWorker,
  type WorkerInput,
} from './import.reader.ts';
import { screenRows } from './import.screen.ts';
import { openPriceList } from './parse/index.ts';

/**
 * The parse worker's entry (started by import.reader.ts): opens the price list, reports its header
 * (or the file's problem), then runs the pass the main thread asks for and sends its chunks. It
 * parses in a heap of its own, so the million short-lived strings of a large file never grow the
 * main thread's young generation, and it runs beside the main thread's database work.
 *
 * Messages in: `plan` (once), `ack` (one per chunk the main thread has written; at most CREDITS
 * chunks are in flight, so a slow database holds the parser back instead of filling memory).
 * Messages out: `header`, `chunk`…, then `done` or `error`.
 */

// only as a worker started by import.reader.ts (which marks its input)
const input = workerData as WorkerInput | undefined;
if (parentPort && input?.priceList === true) void run(parentPort, input);

async function run(port: NonNullable<typeof parentPort>, input: WorkerInput): Promise<void> {
  let credits = CREDITS;
  let wake: (() => void) | undefined;
  let planned: (m: Extract<ToWorker, { type: 'plan' }>) => void = () => {};
  const plan = new Promise<Extract<ToWorker, { type: 'plan' }>>((resolve) => {
    planned = resolve;
  });
  // chunk buffers the main thread has sent on and handed back: filled again, so that the main
  // thread does not hold a hundred MB of them until its next GC
  const free: ArrayBuffer[] = [];
  const alloc = () => {
    const b = free.pop();
    return b ? Buffer.from(b) : Buffer.allocUnsafeSlow(CHUNK_BYTES);
  };
  port.on('message', (m: ToWorker) => {
    if (m.type === 'plan') planned(m);
    else if (m.type === 'free') free.push(...m.buffers);
    else {
      credits += 1;
      wake?.();
    }
  });
  try {
    const list = await openPriceList(input.file, input.opts);
    port.postMessage({ type: 'header', header: list.header } satisfies FromWorker);
    const p = await plan;
    for await (const chunk of screenRows(list, p.plan, p.skipInvalid, alloc)) {
      while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
      credits -= 1;
      port.postMessage(
        { type: 'chunk', chunk } satisfies FromWorker,
        chunk.copy.map((c) => c.buffer as ArrayBuffer),
      );
    }
    port.postMessage({ type: 'done' } satisfies FromWorker);
  } catch (err) {
    send(port, err);
  }
}

function send(port: NonNullable<typeof parentPort>, err: unknown): void {
  const e = err instanceof Error ? err : new Error(String(err));
  const sent: SentError = { name: e.name, message: e.message, stack: e.stack };
  if (err instanceof AppError) Object.assign(sent, { kind: err.kind, details: err.details });
  try {
    port.postMessage({ type: 'error', error: sent } satisfies FromWorker);
  } catch {
    // details that cannot be cloned: the message still names file, line and reason
    port.postMessage({ type: 'error', error: { ...sent, details: undefined } } satisfies FromWorker);
  }
}
