import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseProduct } from '../../src/domains/catalog/keepa.parse.ts';
import { HISTORY_DAYS } from '../../src/domains/catalog/keepa.service.ts';
import { nextAsin } from '../factories/index.ts';
import { type FakeKeepa, keepaProduct, startFakeKeepa } from '../fakes/keepa.ts';
import { seedVendorAsins } from '../fakes/keepa-harness.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import {
  baseEnv,
  type Env,
  killAll,
  parseOneJson,
  ROOT,
  removeDir,
  runCli,
  tempDataDir,
  waitFor,
} from '../helpers/proc.ts';

// `awa agent run keepa` as an operator runs it, against a fake Keepa on loopback: the CLI's flags
// and exit codes, and a run SIGKILLed between batches whose rerun stores every point exactly once.
let tdb: TestDatabase;
let fake: FakeKeepa;
const dirs: string[] = [];
const q = async (sql: string, values: unknown[] = []) => (await tdb.db.pool.query(sql, values)).rows;

function env(extra: Env = {}): Env {
  const dir = tempDataDir();
  dirs.push(dir);
  return baseEnv({
    DATABASE_URL: tdb.url,
    AWA_DATA_DIR: dir,
    KEEPA_BASE_URL: fake.url,
    KEEPA_KEY: fake.key,
    ...extra,
  });
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  fake = await startFakeKeepa({ tokens: 100_000, refillRate: 1000 });
});

afterEach(async () => {
  await killAll();
  await tdb.db.pool.query(
    'TRUNCATE vendors, products, product_identifiers, buybox_history, product_metrics, keepa_fetches CASCADE',
  );
});

afterAll(async () => {
  await killAll();
  await fake?.close();
  await tdb?.drop();
  for (const d of dirs) removeDir(d);
});

describe('awa agent run keepa', () => {
  it('reports "not configured" and exits 0 without KEEPA_KEY', async () => {
    const before = fake.requests.length;
    const r = await runCli(['agent', 'run', 'keepa', '--json'], env({ KEEPA_KEY: '' }));
    expect(r.code, r.stderr).toBe(0);
    expect(parseOneJson(r.stdout)).toMatchObject({
      agent: 'keepa',
      status: 'skipped',
      reason: 'not_configured',
    });
    expect(fake.requests.length).toBe(before);
  });

  it('exits 1 with a clear message when Keepa rejects the key', async () => {
    await seedVendorAsins(tdb.db, [nextAsin()]);
    const r = await runCli(['agent', 'run', 'keepa'], env({ KEEPA_KEY: 'not-the-key-42' }));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/keepa failed .*\nKeepa rejected KEEPA_KEY \(HTTP 401\)/);
    expect(r.stdout + r.stderr).not.toContain('not-the-key-42');
  });

  it('fetches only --asins on a dry run and writes nothing', async () => {
    const [a, b] = [nextAsin(), nextAsin()];
    await seedVendorAsins(tdb.db, [a, b, nextAsin()]);
    const r = await runCli(
      ['agent', 'run', 'keepa', '--dry-run', '--json', '--asins', `${a},${b.toLowerCase()}`],
      env(),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(parseOneJson(r.stdout)).toMatchObject({
      status: 'success',
      dry_run: true,
      requested: 2,
      updated: 2,
      failed: 0,
      tokens_used: 6,
      export_written: 0,
    });
    expect(fake.productRequests().at(-1)?.asins.sort()).toEqual([a, b].sort());
    expect(await q('SELECT count(*)::int AS n FROM products')).toEqual([{ n: 0 }]);
  });

  it('stores every point exactly once when killed between batches and run again', async () => {
    const asins = Array.from({ length: 250 }, () => nextAsin());
    await seedVendorAsins(tdb.db, asins);
    const e = env();
    // the third request hangs: the run is killed while it waits, two batches committed
    fake.fail({}, 2);
    fake.fail({ delayMs: 120_000 });
    const sentBefore = fake.requests.filter((r) => r.path === '/product').length;
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'bin', 'awa.mjs'), 'agent', 'run', 'keepa', '--json'],
      {
        cwd: ROOT,
        env: e,
        stdio: 'ignore',
      },
    );
    const exited = new Promise((r) => child.once('exit', r));
    const stored = async () => (await q('SELECT count(*)::int AS n FROM keepa_fetches'))[0].n as number;
    let fetched = 0;
    const reached = await waitFor(
      () => fake.requests.filter((r) => r.path === '/product').length >= sentBefore + 3,
      30_000,
    );
    expect(reached, 'the run never reached its third request').toBe(true);
    for (let i = 0; i < 400 && fetched < 200; i++) {
      fetched = await stored();
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    await exited;
    expect(fetched).toBe(200);

    const r = await runCli(['agent', 'run', 'keepa', '--json'], e);
    expect(r.code, r.stderr).toBe(0);
    expect(parseOneJson(r.stdout)).toMatchObject({
      status: 'success',
      candidates: 50,
      requested: 50,
      updated: 50,
    });
    const nowMs = Date.now();
    let expected = 0;
    for (const asin of asins) {
      const p = parseProduct(keepaProduct(asin, nowMs), {
        windowStartMs: nowMs - HISTORY_DAYS * 86_400_000,
        minorDigits: 2,
      });
      if (p.kind === 'ok') expected += p.product.buybox.length;
    }
    expect(await q('SELECT count(*)::int AS n FROM buybox_history')).toEqual([{ n: expected }]);
    expect(await q('SELECT count(DISTINCT asin)::int AS n FROM products')).toEqual([{ n: 250 }]);
  });
});
