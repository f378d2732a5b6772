import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { freePort } from '../test/helpers/net.ts';

/**
 * Platform figures on this machine: cold start (first init of the embedded Postgres) and warm start
 * to /ready, /ready and /api/v1/me throughput and latency under autocannon, idle RSS.
 * The server runs as a separate process, exactly as `npm start` runs it.
 */

const ROOT = path.resolve(import.meta.dirname, '..');
const AWA = path.join(ROOT, 'bin', 'awa.mjs');

interface Started {
  child: ChildProcess;
  ms: number;
}

async function startAwa(env: NodeJS.ProcessEnv, port: number): Promise<Started> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [AWA, 'start'], { cwd: ROOT, env, stdio: 'ignore' });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`awa start exited with ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/ready`);
      if (res.status === 200) return { child, ms: performance.now() - t0 };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function stop(child: ChildProcess): Promise<number> {
  const t0 = performance.now();
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  return performance.now() - t0;
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : Number.NaN;
}

async function load(url: string, headers: Record<string, string>, seconds: number, connections = 50) {
  const r = await autocannon({ url, headers, connections, pipelining: 1, duration: seconds });
  return {
    connections,
    requests_per_s: Math.round(r.requests.average),
    p50_ms: r.latency.p50,
    p99_ms: r.latency.p99,
    non_2xx: r.non2xx,
    errors: r.errors,
  };
}

export async function benchPlatform(opts: { seconds: number }) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'awa-bench-'));
  const port = await freePort();
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWA_DATA_DIR: dataDir,
    PORT: String(port),
    EMBEDDED_PG_PORT: String(await freePort()),
    LOG_PRETTY: 'false',
    // the default per-token limit (1200/min) would turn the load test into a 429 test
    RATE_LIMIT_PER_MINUTE_ADMIN: '1000000',
  };
  try {
    const cold = await startAwa(env, port);
    const coldStop = await stop(cold.child);
    const warmRuns: number[] = [];
    let warm: Started | undefined;
    for (let i = 0; i < 3; i++) {
      warm = await startAwa(env, port);
      warmRuns.push(warm.ms);
      if (i < 2) await stop(warm.child);
    }
    const running = warm!.child;
    const tokenOut = spawnSync(
      process.execPath,
      [AWA, 'token', 'create', '--role', 'admin', '--name', 'bench', '--json'],
      {
        cwd: ROOT,
        env,
        encoding: 'utf8',
      },
    );
    const token = JSON.parse(tokenOut.stdout).token as string;
    const base = `http://127.0.0.1:${port}`;
    await new Promise((r) => setTimeout(r, 3000));
    const idleRssFresh = rssMb(running.pid!);
    await load(`${base}/ready`, {}, 2); // warm-up (JIT, pools)
    const ready = await load(`${base}/ready`, {}, opts.seconds);
    const auth = { authorization: `Bearer ${token}` };
    const me = await load(`${base}/api/v1/me`, auth, opts.seconds);
    const me10 = await load(`${base}/api/v1/me`, auth, opts.seconds, 10);
    await new Promise((r) => setTimeout(r, 3000));
    const idleRss = rssMb(running.pid!);
    const warmStop = await stop(running);
    return {
      cold_start_to_ready_ms: Math.round(cold.ms),
      warm_start_to_ready_ms: warmRuns.map(Math.round),
      stop_ms: [Math.round(coldStop), Math.round(warmStop)],
      ready,
      me,
      me_10_connections: me10,
      rss_idle_after_start_mb: idleRssFresh,
      rss_idle_after_load_mb: idleRss,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
