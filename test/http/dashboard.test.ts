import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateRoi } from '../../src/domains/roi/roi.service.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { insertLogisticsRate, seedBulkOffers } from '../factories/index.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

// a Wednesday, 10:07:30 UTC; every run below is placed relative to it
const NOW = Date.parse('2031-06-11T10:07:30Z');
const clock = fixedClock(new Date(NOW));
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const at = (msAgo: number) => new Date(NOW - msAgo).toISOString();

let t: TestApp;
let auth: string;

async function run(
  agent: string,
  status: string,
  startedAgo: number,
  opts: { dry?: boolean; error?: string } = {},
) {
  await t.tdb.db.pool.query(
    `INSERT INTO agent_runs (agent, status, dry_run, trigger, error, started_at, finished_at, duration_ms)
     VALUES ($1, $2, $3, 'schedule', $4, $5, $6, 60000)`,
    [agent, status, opts.dry ?? false, opts.error ?? null, at(startedAgo), at(startedAgo - MIN)],
  );
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  auth = await t.bearer('viewer');
  const db = t.tdb.db;
  await insertLogisticsRate(db);
  await seedBulkOffers(db, { products: 2, vendors: 11, prefix: 'DB' });
  await updateRoi(db, { clock });
  await run('roi_refresh', 'success', 20 * MIN); // every 15 min: fine for 30 min
  await run('keepa', 'success', 3 * HOUR); // hourly: overdue after 2 h…
  await run('keepa', 'success', 10 * MIN, { dry: true }); // …and a dry run does not count
  await run('fees', 'success', 30 * HOUR); // daily: the last success is 30 h old, not 48
  await run('fees', 'failed', HOUR, { error: 'SP-API answered 503' });
  await run('repricer', 'success', 2 * HOUR);
  await run('repricer', 'tripped', 5 * MIN);
  await run('restock', 'success', 8 * DAY); // weekly: fine for 14 days
  const { rows } = await db.pool.query('SELECT id FROM vendors ORDER BY id LIMIT 1');
  await db.pool.query(
    `INSERT INTO price_lists (vendor_id, file_name, sha256, rows, status, created_at)
     VALUES ($1, 'older.csv', repeat('a', 64), 3, 'failed', $2), ($1, 'prices.csv', repeat('b', 64), 120, 'success', $3)`,
    [rows[0].id, at(2 * DAY), at(HOUR)],
  );
  await db.pool.query(
    `INSERT INTO load_log (source, idempotency_key, status, meta, started_at)
     VALUES ('report:returns:DE', 'k1', 'success', '{"file": "returns.tsv", "rows": 42}', $1)`,
    [at(3 * HOUR)],
  );
});

afterAll(async () => {
  await t.close();
});

describe('GET /dashboard', () => {
  it('says which agents failed or are overdue, and when each is due next', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/dashboard',
      headers: { authorization: auth },
    });
    expect(res.statusCode).toBe(200);
    const agents = Object.fromEntries(
      (res.json().agents as { name: string }[]).map(({ name, ...a }) => [name, a]),
    );
    expect(agents.roi_refresh).toMatchObject({
      last_status: 'success',
      failed: false,
      overdue: false,
      next_due_at: '2031-06-11T10:15:00.000Z',
    });
    expect(agents.keepa).toMatchObject({
      last_status: 'success',
      last_run_at: at(10 * MIN),
      last_success_at: at(3 * HOUR - MIN),
      overdue: true,
      next_due_at: '2031-06-11T11:00:00.000Z',
    });
    expect(agents.fees).toMatchObject({
      last_status: 'failed',
      last_error: 'SP-API answered 503',
      failed: true,
      overdue: false,
      next_due_at: '2031-06-12T04:00:00.000Z',
    });
    expect(agents.repricer).toMatchObject({ last_status: 'tripped', failed: false, overdue: true });
    expect(agents.restock).toMatchObject({ overdue: false, next_due_at: '2031-06-16T06:00:00.000Z' });
    // scheduled but never run
    expect(agents.scoring).toMatchObject({ last_status: null, last_run_at: null, overdue: true });
    // on demand only: never overdue
    expect(agents.price_list_import).toEqual({
      schedule: null,
      last_status: null,
      last_run_at: null,
      last_error: null,
      last_success_at: null,
      failed: false,
      overdue: false,
      next_due_at: null,
    });
  });

  it('does not call a fresh installation overdue on agents that never ran yet', async () => {
    const db = t.tdb.db.pool;
    const { rows } = await db.query('SELECT version, applied_at FROM schema_migrations');
    try {
      await db.query('UPDATE schema_migrations SET applied_at = $1', [at(3 * HOUR)]);
      const agents = Object.fromEntries(
        (await t.app.inject({ method: 'GET', url: '/api/v1/dashboard', headers: { authorization: auth } }))
          .json()
          .agents.map((a: { name: string }) => [a.name, a]),
      );
      expect(agents.scoring).toMatchObject({ last_run_at: null, overdue: false }); // nightly, installed 3 h ago
      expect(agents.keepa).toMatchObject({ overdue: true }); // hourly: late on its own runs, not on the install
    } finally {
      for (const r of rows) {
        await db.query('UPDATE schema_migrations SET applied_at = $2 WHERE version = $1', [
          r.version,
          r.applied_at,
        ]);
      }
    }
  });

  it('brings the KPIs, the top 10 vendors, returns and the latest imports and loads', async () => {
    const body = (
      await t.app.inject({ method: 'GET', url: '/api/v1/dashboard', headers: { authorization: auth } })
    ).json();
    expect(body.kpi).toMatchObject({ products: 2, offers: 22, vendors: 11, asins: 2 });
    expect(body.roi_by_vendor.items).toHaveLength(10);
    expect(body.returns).toMatchObject({ window: { from: '2031-03-14', to: '2031-06-11' }, items: [] });
    expect(body.imports).toEqual([
      {
        id: expect.any(Number),
        vendor_id: expect.any(Number),
        vendor: 'DB bulk vendor 1',
        file: 'prices.csv',
        rows: 120,
        status: 'success',
        at: at(HOUR),
      },
      {
        id: expect.any(Number),
        vendor_id: expect.any(Number),
        vendor: 'DB bulk vendor 1',
        file: 'older.csv',
        rows: 3,
        status: 'failed',
        at: at(2 * DAY),
      },
    ]);
    expect(body.loads).toEqual([
      {
        id: expect.any(Number),
        type: 'returns',
        file: 'returns.tsv',
        rows: 42,
        status: 'success',
        at: at(3 * HOUR),
      },
    ]);
  });

  it('needs a token', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/dashboard' })).statusCode).toBe(401);
  });
});
