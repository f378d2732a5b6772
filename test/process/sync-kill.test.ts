import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigLedger, type FakeReports, fakeReportsEnv, startFakeReports } from '../fakes/spapi-reports.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { freePort } from '../helpers/net.ts';
import {
  baseEnv,
  type Env,
  parseOneJson,
  ROOT,
  removeDir,
  runCli,
  tempDataDir,
  waitFor,
} from '../helpers/proc.ts';

// Real processes: a sync worker SIGKILLed while it downloads or ingests a 25 MB ledger leaves its
// request behind; the next run resumes it (no second createReport) and every row lands once. Two
// `awa sync run --all` started together ask Amazon for each report once between them.
const DAY = 86_400_000;
let testDb: TestDatabase;
let dataDir: string;
let api: FakeReports;
let env: Env;

beforeAll(async () => {
  [testDb, api] = await Promise.all([createTestDatabase(), startFakeReports({ polls: 0 })]);
  dataDir = tempDataDir();
  env = baseEnv({
    DATABASE_URL: testDb.url,
    AWA_DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(await freePort()),
    ...fakeReportsEnv(api),
  });
});

afterAll(async () => {
  await api?.close();
  await testDb?.drop();
  removeDir(dataDir);
});

const rows = async (table: string) =>
  Number((await testDb.db.pool.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);

describe('awa sync, processes', () => {
  it('a worker killed mid-download or mid-ingest is resumed without a second request or load', async () => {
    const bytes = 25 << 20;
    let lines = 0;
    for await (const chunk of bigLedger(bytes, Date.now())) lines += chunk.split('\n').length - 1;
    api.script('GET_LEDGER_DETAIL_VIEW_DATA', {
      gzip: true,
      polls: 0,
      body: () => bigLedger(bytes, Date.now()),
    });
    const since = new Date(Date.now() - 10 * DAY).toISOString().slice(0, 10);
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'bin', 'awa.mjs'), 'sync', 'run', 'ledger', '--since', since],
      {
        cwd: ROOT,
        env,
        stdio: 'ignore',
      },
    );
    const exited = new Promise((r) => child.once('exit', r));
    expect(await waitFor(() => api.count('document') > 0, 60_000, 20)).toBe(true);
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGKILL');
    await exited;
    expect(await rows('inventory_ledger_raw')).toBe(0);
    const left = (await testDb.db.pool.query('SELECT status FROM sync_requests')).rows;
    expect(left).toEqual([{ status: 'done' }]);

    const again = await runCli(['sync', 'run', 'ledger', '--json'], env, { timeoutMs: 120_000 });
    expect(again.code, again.stderr).toBe(0);
    expect(parseOneJson(again.stdout)).toMatchObject({
      status: 'success',
      runs: [{ status: 'loaded', rows: lines - 1 }],
    });
    expect(await rows('inventory_ledger_raw')).toBe(lines - 1);
    expect(api.count('createReport')).toBe(1);
  }, 180_000);

  it('two runs at once never request the same report twice', async () => {
    await testDb.db.pool.query('TRUNCATE sync_requests, sync_state');
    api.script('GET_LEDGER_DETAIL_VIEW_DATA', { polls: 0 });
    const before = api.count('createReport');
    const [a, b] = await Promise.all([
      runCli(['sync', 'run', '--all', '--json'], env, { timeoutMs: 120_000 }),
      runCli(['sync', 'run', '--all', '--json'], env, { timeoutMs: 120_000 }),
    ]);
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
    const asked = [...api.reports.values()].slice(-(api.count('createReport') - before));
    expect(asked).toHaveLength(12);
    expect(new Set(asked.map((r) => `${r.reportType} ${r.start} ${r.end}`)).size).toBe(12);
  }, 180_000);
});
