import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { freePort } from '../test/helpers/net.ts';

/**
 * Platform figures on this machine: cold start (first init of the embedded Postgres) and warm start
 * to /ready, /ready and /api/v1/me throughput and latency under autocannon, idle RSS.
 * The server runs as a separate process, exactly as `npm start` runs it.
 * `me_vs_bare` then measures GET /api/v1/me (viewer token, logging at warn) against a bare Fastify
 * route in the same run: on a shared machine only the ratio of the two is comparable between runs.
 */

const ROOT = path.resolve(import.meta.dirname, '..');
const AWA = path.join(ROOT, 'bin', 'awa.mjs');
const BARE = path.join(import.meta.dirname, 'bare-fastify.mjs');

interface Started {
  child: ChildProcess;
  ms: number;
}

async function startAwa(env: NodeJS.ProcessEnv, port: number): Promise<Started> {
  return startChild([AWA, 'start'], env, `http://127.0.0.1:${port}/ready`);
}

async function startChild(args: string[], env: NodeJS.ProcessEnv, readyUrl: string): Promise<Started> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: 'ignore' });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
    try {
      const res = await fetch(readyUrl);
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

function createToken(env: NodeJS.ProcessEnv, role: string, name: string): string {
  const out = spawnSync(
    process.execPath,
    [AWA, 'token', 'create', '--role', role, '--name', name, '--json'],
    {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    },
  );
  return JSON.parse(out.stdout).token as string;
}

/** Bytes of one response's status line and headers, read off a raw socket (nothing normalised). */
function headerBytes(port: number, urlPath: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let got = Buffer.alloc(0);
    sock.on('error', reject);
    sock.on('data', (chunk) => {
      got = Buffer.concat([got, chunk]);
      const end = got.indexOf('\r\n\r\n');
      if (end < 0) return;
      sock.destroy();
      resolve(end + 4);
    });
    const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`);
    sock.write(`GET ${urlPath} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n${lines.join('')}\r\n`);
  });
}

interface Slice {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function slice(url: string, headers: Record<string, string>, seconds: number): Promise<Slice> {
  const r = await autocannon({ url, headers, connections: 10, pipelining: 1, duration: seconds });
  const { total } = r.requests;
  return {
    requests: total,
    seconds: r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

/** Slices added up; autocannon keeps no histogram to merge, so the slices' middle p50 and worst p99. */
function combine(slices: Slice[]) {
  const sum = (f: (s: Slice) => number) => slices.reduce((a, s) => a + f(s), 0);
  const p50s = slices.map((s) => s.p50).sort((a, b) => a - b);
  return {
    connections: 10,
    requests_per_s: Math.round(sum((s) => s.requests) / sum((s) => s.seconds)),
    p50_ms: p50s[Math.floor(p50s.length / 2)]!,
    p99_ms: Math.max(...slices.map((s) => s.p99)),
    non_2xx: sum((s) => s.non2xx),
    errors: sum((s) => s.errors),
  };
}

const rate = (s: Slice) => s.requests / s.seconds;

/**
 * GET /api/v1/me as a script calls it (viewer token, LOG_LEVEL=warn) beside a bare Fastify route
 * (bare-fastify.mjs), both child processes, 10 connections, `seconds` each. They take turns in four
 * slices: on a shared machine the load of the neighbours changes within seconds, and two runs one
 * after the other would compare the neighbours as much as the servers.
 */
async function meVersusBare(baseEnv: NodeJS.ProcessEnv, seconds: number) {
  const port = await freePort();
  const barePort = await freePort();
  // the viewer limit is raised so that the run measures throughput, not 429s; it is still counted
  const env = { ...baseEnv, PORT: String(port), LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE_VIEWER: '1000000' };
  const awa = await startAwa(env, port);
  const bare = await startChild(
    [BARE],
    { PATH: process.env.PATH, PORT: String(barePort) },
    `http://127.0.0.1:${barePort}/api/v1/me`,
  );
  try {
    const auth = { authorization: `Bearer ${createToken(env, 'viewer', 'bench-viewer')}` };
    const awaUrl = `http://127.0.0.1:${port}/api/v1/me`;
    const bareUrl = `http://127.0.0.1:${barePort}/api/v1/me`;
    await slice(bareUrl, {}, 2); // warm-up (JIT)
    await slice(awaUrl, auth, 2);
    const bareSlices: Slice[] = [];
    const awaSlices: Slice[] = [];
    for (let i = 0; i < 4; i++) {
      bareSlices.push(await slice(bareUrl, {}, seconds / 4));
      awaSlices.push(await slice(awaUrl, auth, seconds / 4));
    }
    const bareRun = combine(bareSlices);
    const awaRun = combine(awaSlices);
    const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;
    return {
      bare: bareRun,
      awa: awaRun,
      ratio: ratio(awaRun.requests_per_s, bareRun.requests_per_s),
      slice_ratios: awaSlices.map((a, i) => ratio(rate(a), rate(bareSlices[i]!))),
      header_bytes: {
        bare: await headerBytes(barePort, '/api/v1/me', {}),
        awa: await headerBytes(port, '/api/v1/me', auth),
      },
    };
  } finally {
    await stop(bare.child);
    await stop(awa.child);
  }
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
    const token = createToken(env, 'admin', 'bench');
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
    const meVsBare = await meVersusBare(env, opts.seconds);
    return {
      cold_start_to_ready_ms: Math.round(cold.ms),
      warm_start_to_ready_ms: warmRuns.map(Math.round),
      stop_ms: [Math.round(coldStop), Math.round(warmStop)],
      ready,
      me,
      me_10_connections: me10,
      rss_idle_after_start_mb: idleRssFresh,
      rss_idle_after_load_mb: idleRss,
      me_vs_bare: meVsBare,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
