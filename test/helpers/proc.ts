import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: every CLI process runs with it as its working directory. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'awa.mjs');

export type Env = Record<string, string>;

/**
 * A minimal environment (never the test runner's own): PATH, HOME, JSON logs, plus `extra`. A
 * shifted clock (a preloaded time library, as .ci/run's shifted-date run uses) is passed on too: a
 * CLI that saw the real date while the runner and the database it shares see another would fail
 * for a reason no user meets.
 */
export function baseEnv(extra: Env = {}): Env {
  const env: Env = { LOG_PRETTY: 'false' };
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && (k === 'PATH' || k === 'HOME' || k === 'LD_PRELOAD' || k.startsWith('FAKETIME'))) {
      env[k] = v;
    }
  }
  return { ...env, ...extra };
}

/**
 * A fresh data dir, as `mktemp -d` makes it (mode 0700). As root, AWA itself must make it enterable
 * for the `postgres` OS user that runs the embedded server.
 */
export function tempDataDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'awa-proc-'));
}

import { isAlive } from '../../src/platform/process.ts';

export { isAlive };

/** The postmaster pid recorded under `<dataDir>/postgres`, if the file exists. */
export function postmasterPid(dataDir: string): number | undefined {
  const file = path.join(dataDir, 'postgres', 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return pid > 0 ? pid : undefined;
}

export async function waitFor(cond: () => boolean, timeoutMs: number, stepMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return true;
}

/** Last-resort cleanup: stops a postmaster left under `dataDir` (fast shutdown, then SIGKILL). */
export async function killPostmaster(dataDir: string): Promise<void> {
  const pid = postmasterPid(dataDir);
  if (!pid || !isAlive(pid)) return;
  try {
    process.kill(pid, 'SIGINT');
  } catch {}
  if (await waitFor(() => !isAlive(pid), 15_000)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {}
  await waitFor(() => !isAlive(pid), 5_000);
}

/** Every child spawned by these helpers in this test file (with its close promise), for cleanup. */
const children = new Map<ChildProcess, Promise<number | null>>();

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Spawns the CLI; `done` resolves with the exit code (null if killed) once its stdio has closed. */
function spawnAwa(args: string[], env: Env): { child: ChildProcess; done: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const done = new Promise<number | null>((resolve) => {
    child.once('error', () => resolve(null));
    child.once('close', (code) => resolve(code));
  });
  children.set(child, done);
  void done.then(() => children.delete(child));
  return { child, done };
}

/** Stops every child still running: SIGTERM (lets `awa start` stop its database), then SIGKILL. */
export async function killAll(graceMs = 20_000): Promise<void> {
  await Promise.all(
    [...children].map(async ([child, done]) => {
      if (!exited(child)) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await done;
      clearTimeout(timer);
    }),
  );
}

export interface CliResult {
  /** Exit code; null when the process was killed (e.g. on timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** How long the process ran. */
  ms: number;
}

/** Runs `node bin/awa.mjs ...args` to completion; on timeout it is SIGKILLed and timedOut is set. */
export async function runCli(
  args: string[],
  env: Env,
  { timeoutMs = 60_000 }: { timeoutMs?: number } = {},
): Promise<CliResult> {
  const t0 = Date.now();
  const { child, done } = spawnAwa(args, env);
  const io = capture(child);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const code = await done;
  clearTimeout(timer);
  return { code, stdout: io.stdout, stderr: io.stderr, timedOut, ms: Date.now() - t0 };
}

/** Collects a child's stdout and stderr as text, readable at any time. */
function capture(child: ChildProcess): { readonly stdout: string; readonly stderr: string } {
  const io = { stdout: '', stderr: '' };
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    io.stdout += d;
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    io.stderr += d;
  });
  return io;
}

/** Parses stdout that must be exactly one JSON object on one line. */
export function parseOneJson(stdout: string): Record<string, unknown> {
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  if (lines.length !== 1) throw new Error(`expected one line of JSON on stdout, got:\n${stdout}`);
  const value: unknown = JSON.parse(lines[0]!);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`expected a JSON object on stdout, got:\n${stdout}`);
  }
  return value as Record<string, unknown>;
}

export interface Awa {
  child: ChildProcess;
  /** http://127.0.0.1:<PORT> */
  url: string;
  /** Polls GET /ready every 100 ms until 200; throws (with the output) if the process exits first. */
  waitReady(timeoutMs?: number): Promise<void>;
  /** Sends `signal`, waits for the exit and returns the exit code; SIGKILL + throw after timeoutMs. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
  /** Everything the process wrote so far (stdout then stderr). */
  output(): string;
}

/** Spawns `node bin/awa.mjs start ...args` (or `args` as given when they start with `start`). */
export function startAwa(args: string[], env: Env): Awa {
  if (!env.PORT) throw new Error('startAwa needs env.PORT');
  const full = args[0] === 'start' ? args : ['start', ...args];
  const { child, done } = spawnAwa(full, env);
  const url = `http://127.0.0.1:${env.PORT}`;
  const io = capture(child);
  const output = () => `--- stdout\n${io.stdout}\n--- stderr\n${io.stderr}`;
  return {
    child,
    url,
    output,
    async waitReady(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (exited(child)) {
          await done;
          throw new Error(`awa exited with ${child.exitCode ?? child.signalCode} before ready\n${output()}`);
        }
        try {
          const res = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(2000) });
          if (res.status === 200) return;
        } catch {}
        if (Date.now() > deadline) throw new Error(`awa not ready after ${timeoutMs} ms\n${output()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop(signal = 'SIGTERM', timeoutMs = 30_000) {
      if (!exited(child)) child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((r) => {
        timer = setTimeout(() => r('timeout'), timeoutMs);
      });
      const result = await Promise.race([done, timeout]);
      clearTimeout(timer);
      if (result === 'timeout') {
        child.kill('SIGKILL');
        await done;
        throw new Error(`awa did not exit within ${timeoutMs} ms of ${signal}\n${output()}`);
      }
      return result;
    },
  };
}

/** Removes a temporary folder, ignoring errors (files may belong to the postgres OS user). */
export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/** GET/POST helper returning status and parsed JSON (or text) body. */
export async function http(
  url: string,
  opts: { method?: string; token?: string; body?: unknown } = {},
): Promise<{ status: number; body: unknown; text: string }> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, {
    method: opts.method ?? 'GET',
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: res.status, body, text };
}
