import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSpApi, startFakeSpApi } from '../../../test/fakes/spapi.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { baseEnv, parseOneJson, ROOT, removeDir, runCli, tempDataDir } from '../../../test/helpers/proc.ts';
import { feesRows, historyRows, seedListings, spApiEnv } from './testkit.ts';

// `awa agent run fees` killed (SIGKILL) between two rate-limited calls, at the real 0.5 calls/s:
// what it wrote stays, and the rerun the same day asks only for the rest and duplicates nothing.

let tdb: TestDatabase;
let api: FakeSpApi;
let dir: string;

beforeAll(async () => {
  [tdb, api] = await Promise.all([createTestDatabase(), startFakeSpApi()]);
  dir = tempDataDir();
});
afterAll(async () => {
  await Promise.all([api?.close(), tdb?.drop()]);
  if (dir) removeDir(dir);
});

describe('a fees run killed half-way', () => {
  it('is rerun without duplicates, asking only for what it had not written', async () => {
    await seedListings(tdb.db, 50);
    const env = baseEnv({ DATABASE_URL: tdb.url, AWA_DATA_DIR: dir, ...spApiEnv(api) });
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'bin', 'awa.mjs'), 'agent', 'run', 'fees', '--json'],
      {
        cwd: ROOT,
        env,
        stdio: 'ignore',
      },
    );
    const exited = new Promise((r) => child.once('exit', r));
    // the first call's 20 rows are written; the next call waits 2 s for its token: kill it there
    const deadline = Date.now() + 30_000;
    while ((await feesRows(tdb.db)).length < 20 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await exited;
    // normally 20; a machine slow enough to let the second call through leaves 40
    const written = (await feesRows(tdb.db)).length;
    expect([20, 40]).toContain(written);
    expect(api.calls).toHaveLength(written / 20);

    const rerun = await runCli(['agent', 'run', 'fees', '--json'], env);
    expect(rerun.code).toBe(0);
    const out = parseOneJson(rerun.stdout);
    const rest = 50 - written;
    expect(out).toMatchObject({ status: 'success', requested: rest, updated: rest, skipped: written });
    expect(api.calls).toHaveLength(3);
    const history = await historyRows(tdb.db);
    expect(history).toHaveLength(50);
    expect(new Set(history.map((h) => h.asin)).size).toBe(50);
  }, 60_000);
});
