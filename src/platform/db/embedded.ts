import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { isAlive } from '../process.ts';
import { type PgBinaries, reachableBy, resolvePgBinaries } from './pg-binaries.ts';

export interface EmbeddedServer {
  /** Connection string of the `awa` database on this server. */
  url: string;
  /** URL of the maintenance database (`postgres`), for creating databases. */
  adminUrl: string;
  port: number;
  /** True when this process started the server (false: it joined one already running). */
  owned: boolean;
  pid: number;
  stop(): Promise<void>;
  /** Leave the server running for others: this process will no longer stop it when it exits. */
  release(): void;
}

export interface EmbeddedOptions {
  /** Folder holding the cluster (AWA_DATA_DIR/postgres). */
  dir: string;
  port: number;
  database?: string;
  log?: Logger;
  binCacheDir?: string;
}

const USER = 'postgres';

/** Postgres's own lock file: line 1 the postmaster pid, line 4 its port. */
export function runningServer(dir: string): { pid: number; port: number } | undefined {
  const file = path.join(dir, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !isAlive(pid)) return undefined;
  return { pid, port };
}

function passwordFile(dir: string): string {
  return `${dir}.password`;
}

function urlFor(dir: string, port: number, database: string): string {
  const pw = readFileSync(passwordFile(dir), 'utf8').trim();
  return `postgres://${USER}:${encodeURIComponent(pw)}@127.0.0.1:${port}/${database}`;
}

/**
 * As root the server runs as `postgres`, which must be able to enter the data dir. AWA's own data dir
 * (e.g. made by `mktemp -d`, mode 0700) is opened for traversal only (o+x, not listing); a parent
 * folder that is not ours to change (e.g. /root) is reported with what to do instead.
 */
function ensureReachable(parent: string, runAs: { uid: number; gid: number }, log?: Logger): void {
  mkdirSync(parent, { recursive: true });
  if (reachableBy(parent, runAs)) return;
  if (reachableBy(path.dirname(parent), runAs)) {
    chmodSync(parent, statSync(parent).mode | 0o011);
    log?.info({ dir: parent }, "made the data dir traversable for the 'postgres' OS user");
    if (reachableBy(parent, runAs)) return;
  }
  throw new AppError(
    'config',
    `the 'postgres' OS user cannot enter ${parent} (a parent folder is not traversable). ` +
      'Set AWA_DATA_DIR to a folder it can reach (e.g. /var/lib/awa), or set DATABASE_URL',
  );
}

/** initdb into a temporary folder and rename, so an interrupted first start leaves nothing half-made. */
function initialise(dir: string, bins: PgBinaries, log?: Logger): void {
  const parent = path.dirname(dir);
  mkdirSync(parent, { recursive: true });
  const pwFile = passwordFile(dir);
  if (!existsSync(pwFile)) writeFileSync(pwFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
  const tmp = `${dir}.init-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { mode: 0o700 });
  // initdb reads the password from a file the server user can read; it is removed right after.
  const pwCopy = path.join(tmp, '..', `.pw-${process.pid}`);
  writeFileSync(pwCopy, readFileSync(pwFile), { mode: 0o600 });
  if (bins.runAs) {
    chownSync(tmp, bins.runAs.uid, bins.runAs.gid);
    chownSync(pwCopy, bins.runAs.uid, bins.runAs.gid);
  }
  log?.info({ dir }, 'initialising embedded PostgreSQL (first start)');
  const r = spawnSync(
    bins.initdb,
    [
      `--pgdata=${tmp}`,
      `--username=${USER}`,
      '--auth=scram-sha-256',
      `--pwfile=${pwCopy}`,
      '--encoding=UTF8',
      '--locale=C',
    ],
    { ...(bins.runAs ?? {}), encoding: 'utf8' },
  );
  rmSync(pwCopy, { force: true });
  if (r.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new AppError('internal', `initdb failed: ${(r.stderr || r.error?.message || '').trim()}`);
  }
  renameSync(tmp, dir);
}

async function waitReady(url: string, child: { exited: boolean }, logFile: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    if (child.exited) break;
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await c.connect();
      await c.end();
      return;
    } catch (err) {
      last = err;
      await c.end().catch(() => {});
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-8).join('\n') : '';
  const hint = /already in use/.test(tail) ? ' (the port is taken: set EMBEDDED_PG_PORT)' : '';
  throw new AppError(
    'unavailable',
    `embedded PostgreSQL did not start${hint}: ${tail.trim() || String(last)}`,
  );
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await c.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } catch (err) {
    // two processes starting together: the loser sees duplicate_database, which is fine
    if ((err as { code?: string }).code !== '42P04') throw err;
  } finally {
    await c.end();
  }
}

/** Waits until the postmaster has exited; SIGINT = fast shutdown, SIGQUIT after the grace period. */
export async function stopServer(pid: number, graceMs = 15000): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (isAlive(pid)) {
    process.kill(pid, 'SIGQUIT');
    while (isAlive(pid)) await new Promise((r) => setTimeout(r, 50));
  }
}

/** Uses a server that another process started on this data dir. */
async function join(
  dir: string,
  running: { pid: number; port: number },
  database: string,
  log?: Logger,
): Promise<EmbeddedServer> {
  const adminUrl = urlFor(dir, running.port, 'postgres');
  await waitReady(adminUrl, { exited: false }, `${dir}.log`, 30000); // it may still be starting up
  await ensureDatabase(adminUrl, database);
  return {
    url: urlFor(dir, running.port, database),
    adminUrl,
    port: running.port,
    owned: false,
    pid: running.pid,
    stop: async () => {
      await stopServer(running.pid);
      log?.info({ pid: running.pid }, 'embedded PostgreSQL stopped');
    },
    release: () => {},
  };
}

/**
 * Connects to the cluster under `dir` if a server already runs there (started by `awa start` or
 * another command), otherwise initialises (first time) and starts one that this process owns.
 */
export async function ensureEmbeddedServer(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const database = opts.database ?? 'awa';
  const dir = path.resolve(opts.dir);
  const existing = runningServer(dir);
  if (existing && existsSync(passwordFile(dir))) return join(dir, existing, database, opts.log);
  const bins = await resolvePgBinaries(opts.binCacheDir);
  if (bins.runAs) ensureReachable(path.dirname(dir), bins.runAs, opts.log);
  if (!existsSync(path.join(dir, 'PG_VERSION'))) initialise(dir, bins, opts.log);
  const logFile = `${dir}.log`;
  const out = openSync(logFile, 'a');
  if (bins.runAs) chownSync(logFile, bins.runAs.uid, bins.runAs.gid);
  // detached: a Ctrl-C in the terminal reaches only us; we stop the server after draining our work.
  const child = spawn(
    bins.postgres,
    [
      '-D',
      dir,
      '-p',
      String(opts.port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
    ],
    { ...(bins.runAs ?? {}), detached: true, stdio: ['ignore', out, out] },
  );
  closeSync(out);
  const state = { exited: false };
  child.on('exit', () => {
    state.exited = true;
  });
  child.unref();
  const pid = child.pid ?? 0;
  // If this process dies without a clean shutdown, still ask the server to stop (fast shutdown).
  const onExit = () => {
    if (!state.exited && isAlive(pid)) process.kill(pid, 'SIGINT');
  };
  process.on('exit', onExit);
  const adminUrl = urlFor(dir, opts.port, 'postgres');
  try {
    await waitReady(adminUrl, state, logFile, 30000);
    await ensureDatabase(adminUrl, database);
  } catch (err) {
    onExit();
    // two processes starting at once: the loser's postgres exits on the lock file; use the winner's
    const winner = runningServer(dir);
    if (winner && winner.pid !== pid) return join(dir, winner, database, opts.log);
    throw err;
  }
  opts.log?.info({ port: opts.port, pid }, 'embedded PostgreSQL started');
  return {
    url: urlFor(dir, opts.port, database),
    adminUrl,
    port: opts.port,
    owned: true,
    pid,
    stop: async () => {
      process.off('exit', onExit);
      await stopServer(pid);
      opts.log?.info({ pid }, 'embedded PostgreSQL stopped');
    },
    release: () => {
      process.off('exit', onExit);
    },
  };
}
