import { type ChildProcess, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { type EmbeddedServer, ensureEmbeddedServer } from '../src/platform/db/embedded.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { freePort } from '../test/helpers/net.ts';

/**
 * Shared by the roi, xlsx and upload benches: a fresh embedded PostgreSQL in a temp folder with a
 * migrated `bench` database, `awa` commands and `awa start` as child processes against it
 * (DATABASE_URL, their own AWA_DATA_DIR), and RSS readings of a process from /proc.
 */

export const ROOT = path.resolve(import.meta.dirname, '..');
export const AWA = path.join(ROOT, 'bin', 'awa.mjs');
const PEAK_RSS = path.join(import.meta.dirname, 'import-peak-rss.mjs');

export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
export const secondsSince = (t0: number) => round((performance.now() - t0) / 1000, 3);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface BenchDb {
  /** Temp folder holding everything of this run (removed by close()). */
  tmp: string;
  /** AWA_DATA_DIR of the child processes (local object storage, instance lock). */
  dataDir: string;
  url: string;
  server: EmbeddedServer;
  pool: pg.Pool;
  /** Env for `awa` child processes: this database, this data dir, JSON logs. */
  env(extra?: Record<string, string>): NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export async function freshBenchDb(label: string): Promise<BenchDb> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), `awa-bench-${label}-`));
  const dataDir = path.join(tmp, 'awa');
  mkdirSync(dataDir);
  let server: EmbeddedServer | undefined;
  let pool: pg.Pool | undefined;
  const close = async () => {
    await pool?.end().catch(() => {});
    await server?.stop().catch(() => {});
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    server = await ensureEmbeddedServer({
      dir: path.join(tmp, 'pg'),
      port: await freePort(),
      database: 'bench',
    });
    pool = new pg.Pool({ connectionString: server.url, max: 4 });
    await migrate(pool);
  } catch (err) {
    await close();
    throw err;
  }
  const url = server.url;
  return {
    tmp,
    dataDir,
    url,
    server,
    pool,
    env: (extra = {}) => ({
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWA_DATA_DIR: dataDir,
      DATABASE_URL: url,
      LOG_PRETTY: 'false',
      ...extra,
    }),
    close,
  };
}

export interface CliResult {
  code: number;
  out: string;
  err: string;
  wall_s: number;
  /** From bench/import-peak-rss.mjs when `peakRss` was asked for. */
  peak_rss_mb?: number;
}

/** Runs `awa ARGS` (optionally with the peak-RSS reporter preloaded) and collects its output. */
export function runAwa(args: string[], env: NodeJS.ProcessEnv, opts: { peakRss?: boolean } = {}) {
  const pre = opts.peakRss ? ['--import', pathToFileURL(PEAK_RSS).href] : [];
  return new Promise<CliResult>((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...pre, AWA, ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
    });
    child.once('error', reject);
    child.once('close', (code) => {
      const rss = /PEAK_RSS_KB (\d+)/.exec(err);
      resolve({
        code: code ?? -1,
        out,
        err,
        wall_s: secondsSince(t0),
        peak_rss_mb: rss ? Math.round(Number(rss[1]) / 1024) : undefined,
      });
    });
  });
}

/** `awa ARGS --json`, failing loudly on a non-zero exit. */
export async function awaJson<T>(args: string[], env: NodeJS.ProcessEnv): Promise<T> {
  const r = await runAwa([...args, '--json'], env);
  if (r.code !== 0) throw new Error(`awa ${args.join(' ')} exited with ${r.code}\n${r.out}\n${r.err}`);
  return JSON.parse(r.out) as T;
}

export async function createToken(env: NodeJS.ProcessEnv, role: 'viewer' | 'ops' | 'admin') {
  const t = await awaJson<{ token: string }>(
    ['token', 'create', '--role', role, '--name', `bench-${role}`],
    env,
  );
  return t.token;
}

export interface RunningAwa {
  child: ChildProcess;
  pid: number;
  base: string;
  start_ms: number;
  /** SIGTERM and wait (SIGKILL after 20 s). */
  stop(): Promise<void>;
}

function tail(file: string, lines = 20): string {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '';
}

/** `awa start ARGS` as a child process, logging to LOGFILE; resolves once /ready answers 200. */
export async function startAwa(args: string[], env: NodeJS.ProcessEnv, logFile: string): Promise<RunningAwa> {
  const port = await freePort();
  const out = openSync(logFile, 'a');
  const t0 = performance.now();
  const child = spawn(process.execPath, [AWA, 'start', ...args], {
    cwd: ROOT,
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`awa start exited with ${child.exitCode}\n${tail(logFile)}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`awa start: /ready not 200 after 60 s\n${tail(logFile)}`);
    }
    try {
      const res = await fetch(`${base}/ready`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  return { child, pid: child.pid!, base, start_ms: Math.round(performance.now() - t0), stop };
}

/** VmRSS (current) and VmHWM (peak since start) of a process, in MB. */
export function procMemMb(pid: number): { rss: number; hwm: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(s)?.[1] ?? Number.NaN);
  return { rss: Math.round(kb('VmRSS') / 1024), hwm: Math.round(kb('VmHWM') / 1024) };
}

export interface RssSamples {
  samples: number;
  min_mb: number;
  mean_mb: number;
  peak_mb: number;
  last_mb: number;
}

/** Samples a process's RSS every `ms` until stop() (and once more then). */
export function sampleRss(pid: number, ms = 100): { stop(): RssSamples } {
  const values: number[] = [];
  const take = () => {
    try {
      values.push(procMemMb(pid).rss);
    } catch {
      // the process has gone: the caller will notice
    }
  };
  take();
  const timer = setInterval(take, ms);
  return {
    stop: () => {
      clearInterval(timer);
      take();
      return {
        samples: values.length,
        min_mb: Math.min(...values),
        mean_mb: Math.round(values.reduce((a, b) => a + b, 0) / values.length),
        peak_mb: Math.max(...values),
        last_mb: values[values.length - 1] ?? Number.NaN,
      };
    },
  };
}

const TICKS_PER_S = 100; // USER_HZ on Linux

/** CPU time (user + system) a process has used, in seconds; with `reaped`, also its waited-for children's. */
export function cpuSeconds(pid: number, reaped = false): number {
  // fields after the command (which may hold spaces): state is field 3, utime 14, stime 15,
  // cutime 16, cstime 17
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  return (f[11]! + f[12]! + (reaped ? f[13]! + f[14]! : 0)) / TICKS_PER_S;
}

/**
 * CPU seconds of a process and its direct children (e.g. a postmaster and its backends): the live
 * children's own time plus, through the parent's cutime/cstime, that of children already reaped.
 */
export function treeCpuSeconds(pid: number): number {
  let total = cpuSeconds(pid, true);
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) total += cpuSeconds(Number(e));
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

export function expectEqual(what: string, got: unknown, want: unknown): void {
  if (got !== want) throw new Error(`bench: ${what} is ${String(got)}, expected ${String(want)}`);
}
