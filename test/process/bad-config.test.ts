import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { freePort } from '../helpers/net.ts';
import {
  type Awa,
  baseEnv,
  type Env,
  http,
  killAll,
  killPostmaster,
  parseOneJson,
  removeDir,
  runCli,
  startAwa,
  tempDataDir,
} from '../helpers/proc.ts';

// `awa start` failing fast and clearly (bad config, unreachable database, port taken), and the
// roles split over processes sharing one database.
let testDb: TestDatabase;
const dirs: string[] = [];
const started: Awa[] = [];

async function envFor(extra: Env = {}): Promise<Env> {
  const dir = tempDataDir();
  dirs.push(dir);
  return baseEnv({
    AWA_DATA_DIR: dir,
    PORT: String(await freePort()),
    EMBEDDED_PG_PORT: String(await freePort()),
    ...extra,
  });
}

function start(args: string[], env: Env): Awa {
  const awa = startAwa(args, env);
  started.push(awa);
  return awa;
}

beforeAll(async () => {
  testDb = await createTestDatabase();
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') for (const a of started) console.error(a.output());
  started.length = 0;
  await killAll();
});

afterAll(async () => {
  await killAll();
  for (const dir of dirs) {
    await killPostmaster(dir);
    removeDir(dir);
  }
  await testDb?.drop();
});

describe('start-up errors', () => {
  it('lists every bad variable in one error', async () => {
    const env = await envFor({
      PORT: 'abc',
      EMBEDDED_PG_PORT: '0',
      REDIS_URL: 'notaurl',
      AWA_ROLES: 'api,cook',
    });
    const r = await runCli(['start'], env, { timeoutMs: 60_000 });
    expect(r.timedOut).toBe(false);
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    // one error message (one `error:` line) naming all four variables
    expect(r.stderr.match(/error:/g)).toHaveLength(1);
    for (const v of ['PORT', 'EMBEDDED_PG_PORT', 'REDIS_URL', 'AWA_ROLES']) {
      expect(r.stderr).toMatch(new RegExp(`(^|[^A-Z_])${v}=`));
    }
    expect(r.stderr).toMatch(/cook/);
    // nothing was started: no lock, no database cluster
    expect(existsSync(path.join(env.AWA_DATA_DIR!, 'awa.pid'))).toBe(false);
    expect(existsSync(path.join(env.AWA_DATA_DIR!, 'postgres'))).toBe(false);
  }, 120_000);

  it('gives up on an unreachable database with a clear error that hides the password', async () => {
    const closedPort = await freePort();
    const env = await envFor({
      DATABASE_URL: `postgres://u:secretpw@127.0.0.1:${closedPort}/awa`,
      DB_CONNECT_TIMEOUT_MS: '2000',
    });
    const r = await runCli(['start'], env, { timeoutMs: 20_000 });
    expect(r.timedOut, 'awa start did not give up within 20 s').toBe(false);
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.stderr).toContain('cannot reach the database');
    expect(r.stderr).toContain(`127.0.0.1:${closedPort}`);
    expect(r.stderr).not.toContain('secretpw');
    expect(r.stdout).not.toContain('secretpw');
    expect(existsSync(path.join(env.AWA_DATA_DIR!, 'awa.pid'))).toBe(false);
  }, 120_000);

  it('exits with a clear message when the HTTP port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve, reject) => {
      blocker.once('error', reject);
      blocker.listen(0, '127.0.0.1', () => resolve());
    });
    try {
      const port = (blocker.address() as net.AddressInfo).port;
      const env = await envFor({ DATABASE_URL: testDb.url, PORT: String(port) });
      const r = await runCli(['start'], env, { timeoutMs: 60_000 });
      expect(r.timedOut).toBe(false);
      expect(r.code).not.toBe(0);
      expect(r.code).not.toBeNull();
      expect(r.stderr).toContain(String(port));
      expect(r.stderr).toMatch(/in use/);
      // it released its lock and never touched the embedded server
      expect(existsSync(path.join(env.AWA_DATA_DIR!, 'awa.pid'))).toBe(false);
      expect(existsSync(path.join(env.AWA_DATA_DIR!, 'postgres'))).toBe(false);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  }, 120_000);
});

describe('roles', () => {
  it('--roles worker serves /health and /metrics but not the API', async () => {
    const env = await envFor({ DATABASE_URL: testDb.url });
    const awa = start(['--roles', 'worker'], env);
    await awa.waitReady();
    const health = await http(`${awa.url}/health`);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', checks: { db: 'ok' } });
    const metrics = await http(`${awa.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('awa_maintenance_runs_total');
    const me = await http(`${awa.url}/api/v1/me`);
    expect(me.status).toBe(404);
    expect(await awa.stop()).toBe(0);
  }, 120_000);

  it('a job queued by an api-only process is run by a worker process on the same database', async () => {
    const created = await runCli(
      ['token', 'create', '--role', 'admin', '--name', 'queue-admin', '--json'],
      await envFor({ DATABASE_URL: testDb.url }),
    );
    expect(created.code, created.stderr).toBe(0);
    const token = parseOneJson(created.stdout).token as string;

    const api = start(['--roles', 'api'], await envFor({ DATABASE_URL: testDb.url }));
    await api.waitReady();
    const queued = await http(`${api.url}/api/v1/agents/maintenance/run`, {
      method: 'POST',
      token,
      body: { dry_run: false },
    });
    expect(queued.status, queued.text).toBe(202);
    const jobId = (queued.body as { job_id: string }).job_id;
    expect(jobId).toMatch(/^[0-9a-f-]{36}$/);

    // no worker anywhere yet: the job waits
    const waiting = await http(`${api.url}/api/v1/jobs/${jobId}`, { token });
    expect(waiting.status, waiting.text).toBe(200);
    expect(waiting.body).toMatchObject({ id: jobId, name: 'maintenance', status: 'queued', runs: [] });

    const worker = start(['--roles', 'worker'], await envFor({ DATABASE_URL: testDb.url }));
    await worker.waitReady();
    let job: {
      status?: string;
      queue_state?: string;
      runs?: { status: string; agent: string; trigger: string }[];
    } = {};
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const r = await http(`${api.url}/api/v1/jobs/${jobId}`, { token });
      expect(r.status, r.text).toBe(200);
      job = r.body as typeof job;
      if (job.status === 'success' && job.runs?.[0]?.status === 'success') break;
      await new Promise((res) => setTimeout(res, 250));
    }
    expect(job.status).toBe('success');
    expect(job.queue_state).toBe('completed');
    expect(job.runs).toHaveLength(1);
    expect(job.runs![0]).toMatchObject({ status: 'success', agent: 'maintenance', trigger: 'api' });

    expect(await worker.stop()).toBe(0);
    expect(await api.stop()).toBe(0);
  }, 150_000);
});
