import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../src/platform/clock.ts';
import type { Sleep } from '../../src/platform/http/retry.ts';

/**
 * Virtual time for code that sleeps (backoff, Retry-After, token buckets): sleep() never waits in
 * real time; pending sleepers wake in deadline order, the clock jumping to each deadline. Sleepers
 * that start together wake together, so concurrent waits overlap as they would in real time.
 */
export interface FakeTime {
  clock: Clock;
  sleep: Sleep;
  /** Every duration passed to sleep(), in call order. */
  readonly sleeps: number[];
  nowMs(): number;
  elapsedMs(): number;
  advance(ms: number): void;
}

export function fakeTime(start = Date.parse('2025-01-01T00:00:00Z')): FakeTime {
  let t = start;
  const sleeps: number[] = [];
  const pending: Array<{ until: number; wake: () => void }> = [];
  let scheduled = false;
  const pump = () => {
    if (scheduled) return;
    scheduled = true;
    // a real 1 ms tick lets every sleeper registered "at the same time" join before time moves
    setTimeout(() => {
      scheduled = false;
      pending.sort((a, b) => a.until - b.until);
      const first = pending[0];
      if (!first) return;
      t = Math.max(t, first.until);
      while (pending[0] && pending[0].until <= t) pending.shift()!.wake();
      if (pending.length) pump();
    }, 1);
  };
  return {
    clock: { now: () => new Date(t) },
    sleeps,
    nowMs: () => t,
    elapsedMs: () => t - start,
    advance: (ms) => {
      t += ms;
    },
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        sleeps.push(ms);
        const entry = {
          until: t + Math.max(0, ms),
          wake: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          const i = pending.indexOf(entry);
          if (i >= 0) pending.splice(i, 1);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        pending.push(entry);
        pump();
      }),
  };
}

export interface TestServer {
  url: string;
  /** Requests received so far. */
  hits: number;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 (free port); `n` is the 1-based number of the request. */
export async function startServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse, n: number) => unknown,
): Promise<TestServer> {
  const state = { hits: 0 };
  const server = http.createServer((req, res) => {
    state.hits++;
    void Promise.resolve(handler(req, res, state.hits)).catch((err: unknown) => {
      res.statusCode = 599;
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get hits() {
      return state.hits;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function readRequestBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
