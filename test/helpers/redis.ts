import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './net.ts';
import { REDIS_SERVER, requireTool, unshiftedEnv } from './tools.ts';

export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

/** A real redis-server on a free loopback port with no persistence; stop() kills it. */
export async function startRedis(): Promise<TestRedis> {
  const [cmd] = requireTool(REDIS_SERVER);
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'awa-redis-'));
  let child: ChildProcess;
  try {
    child = spawn(
      cmd,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { env: unshiftedEnv(), stdio: 'ignore' },
    );
  } catch (err) {
    throw new Error(`redis-server could not start (apt-get install -y redis-server): ${String(err)}`);
  }
  const exited = new Promise<never>((_, rej) =>
    child.once('error', (err) =>
      rej(new Error(`redis-server could not start (apt-get install -y redis-server): ${err.message}`)),
    ),
  );
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    r.on('error', () => {});
    try {
      await Promise.race([r.connect().then(() => r.ping()), exited]);
      r.disconnect();
      break;
    } catch (err) {
      r.disconnect();
      if (Date.now() > deadline || (err as Error).message.includes('redis-server could not start')) throw err;
      await new Promise((res) => setTimeout(res, 50));
    }
  }
  return {
    url,
    stop: async () => {
      child.kill('SIGKILL');
      await new Promise((res) => (child.exitCode !== null ? res(null) : child.once('exit', res)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
