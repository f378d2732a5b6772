import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/net.ts';
import {
  type Awa,
  baseEnv,
  type Env,
  http,
  isAlive,
  killAll,
  killPostmaster,
  parseOneJson,
  postmasterPid,
  removeDir,
  runCli,
  startAwa,
  tempDataDir,
  waitFor,
} from '../helpers/proc.ts';

// The embedded PostgreSQL lifecycle, end to end: no DATABASE_URL, one data dir shared by the steps
// below (they run in order and build on each other: first start, token, stop, warm start, ...).
describe('awa start with the embedded PostgreSQL', () => {
  let dataDir: string;
  let env: Env;
  let awa: Awa | undefined;
  let token: string;

  beforeAll(async () => {
    dataDir = tempDataDir();
    env = baseEnv({
      AWA_DATA_DIR: dataDir,
      PORT: String(await freePort()),
      EMBEDDED_PG_PORT: String(await freePort()),
    });
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && awa) console.error(awa.output());
  });

  afterAll(async () => {
    await killAll();
    await killPostmaster(dataDir);
    removeDir(dataDir);
  });

  const pgDir = () => path.join(dataDir, 'postgres');
  const lockFile = () => path.join(dataDir, 'awa.pid');

  it('initialises the database on a fresh data dir and becomes ready and healthy', async () => {
    awa = startAwa([], env);
    await awa.waitReady(90_000); // the first start runs initdb
    expect((await http(`${awa.url}/ready`)).status).toBe(200);
    const health = await http(`${awa.url}/health`);
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', checks: { db: 'ok', storage: 'ok' } });
    expect(existsSync(path.join(pgDir(), 'PG_VERSION'))).toBe(true);
    expect(readFileSync(lockFile(), 'utf8').trim()).toBe(String(awa.child.pid));
    const pm = postmasterPid(dataDir);
    expect(pm).toBeDefined();
    expect(isAlive(pm!)).toBe(true);
  }, 120_000);

  it('refuses a second start on the same data dir and leaves the first one running', async () => {
    const pmBefore = postmasterPid(dataDir);
    const other = { ...env, PORT: String(await freePort()) };
    const r = await runCli(['start'], other, { timeoutMs: 30_000 });
    expect(r.timedOut, r.stderr).toBe(false);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/already running/);
    // the first instance is untouched: same lock, same database server, still healthy
    expect(readFileSync(lockFile(), 'utf8').trim()).toBe(String(awa!.child.pid));
    expect(postmasterPid(dataDir)).toBe(pmBefore);
    expect(isAlive(pmBefore!)).toBe(true);
    const health = await http(`${awa!.url}/health`);
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', checks: { db: 'ok', storage: 'ok' } });
  }, 120_000);

  it('creates a token from the CLI while running (joining its database) and the token works', async () => {
    const pmBefore = postmasterPid(dataDir);
    const r = await runCli(['token', 'create', '--role', 'admin', '--name', 't1', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const out = parseOneJson(r.stdout);
    expect(Object.keys(out).sort()).toEqual(['name', 'role', 'token']);
    expect(out).toMatchObject({ name: 't1', role: 'admin' });
    expect(out.token).toMatch(/^awa_/);
    token = out.token as string;
    // the command joined the running server and did not stop it on its way out
    expect(postmasterPid(dataDir)).toBe(pmBefore);
    expect(isAlive(pmBefore!)).toBe(true);
    const me = await http(`${awa!.url}/api/v1/me`, { token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ kind: 'token', name: 't1', role: 'admin' });
    expect((await http(`${awa!.url}/health`)).status).toBe(200);
  }, 120_000);

  it('stops cleanly on SIGTERM: exit 0, database server stopped, lock removed', async () => {
    const pm = postmasterPid(dataDir);
    expect(pm).toBeDefined();
    const code = await awa!.stop('SIGTERM');
    expect(code).toBe(0);
    expect(() => process.kill(pm!, 0)).toThrow();
    expect(existsSync(lockFile())).toBe(false);
    expect(awa!.output()).toMatch(/embedded PostgreSQL stopped/);
  }, 120_000);

  it('warm-starts on the same data dir and keeps the data (the token still works)', async () => {
    awa = startAwa([], env);
    await awa.waitReady();
    expect(awa.output()).not.toMatch(/initialising embedded PostgreSQL/);
    const me = await http(`${awa.url}/api/v1/me`, { token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ kind: 'token', name: 't1', role: 'admin' });
    const health = await http(`${awa.url}/health`);
    expect(health.body).toEqual({ status: 'ok', checks: { db: 'ok', storage: 'ok' } });
  }, 120_000);

  it('stops cleanly on SIGINT too', async () => {
    const pm = postmasterPid(dataDir);
    expect(pm).toBeDefined();
    expect(isAlive(pm!)).toBe(true);
    const code = await awa!.stop('SIGINT');
    expect(code).toBe(0);
    expect(() => process.kill(pm!, 0)).toThrow();
    expect(existsSync(lockFile())).toBe(false);
  }, 120_000);

  it('runs `migrate --status` with nothing running and leaves no database server behind', async () => {
    awa = undefined;
    expect(postmasterPid(dataDir)).toBeUndefined();
    const r = await runCli(['migrate', '--status', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const out = parseOneJson(r.stdout);
    expect(out.pending).toBe(0);
    const migrations = out.migrations as { state: string; name: string }[];
    expect(migrations.length).toBeGreaterThan(0);
    for (const m of migrations) expect(m.state, m.name).toBe('applied');
    const pm = postmasterPid(dataDir);
    if (pm !== undefined) expect(isAlive(pm), `postmaster ${pm} still running`).toBe(false);
  }, 120_000);
  it('a command that started the server leaves it running when an `awa start` has joined it', async () => {
    // stand-in for an `awa start` that joined the command's server: a live process holding the lock
    const holder = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      writeFileSync(lockFile(), String(holder.pid));
      expect(postmasterPid(dataDir)).toBeUndefined();
      const r = await runCli(['migrate', '--json'], env);
      expect(r.code, r.stderr).toBe(0);
      const pm = postmasterPid(dataDir);
      expect(pm, 'the server the command started must still run').toBeDefined();
      expect(isAlive(pm!)).toBe(true);
      expect(r.ms).toBeLessThan(20_000); // no idle connections keeping the command alive
    } finally {
      holder.kill('SIGKILL');
      rmSync(lockFile(), { force: true });
      await killPostmaster(dataDir);
    }
  }, 120_000);
});

describe('Ctrl-C while the first start is still initialising', () => {
  let dataDir: string;

  afterAll(async () => {
    await killAll();
    await killPostmaster(dataDir);
    removeDir(dataDir);
  });

  it('finishes start-up, then stops cleanly: exit 0, no database server left', async () => {
    dataDir = tempDataDir();
    const env = baseEnv({
      AWA_DATA_DIR: dataDir,
      PORT: String(await freePort()),
      EMBEDDED_PG_PORT: String(await freePort()),
    });
    const awa = startAwa([], env);
    // the password file is written just before initdb runs: the signal lands mid-initialisation
    const started = await waitFor(() => existsSync(path.join(dataDir, 'postgres.password')), 60_000, 10);
    expect(started, awa.output()).toBe(true);
    expect(existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))).toBe(false);
    const code = await awa.stop('SIGINT', 90_000);
    expect(code, awa.output()).toBe(0);
    const pm = postmasterPid(dataDir);
    if (pm !== undefined) expect(isAlive(pm), `postmaster ${pm} left running`).toBe(false);
    expect(existsSync(path.join(dataDir, 'awa.pid'))).toBe(false);
  }, 120_000);
});
