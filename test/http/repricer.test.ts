import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repricerJob } from '../../src/domains/repricer/repricer.job.ts';
import { roiSettingsFrom, updateRoi } from '../../src/domains/roi/roi.service.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { runJob } from '../../src/platform/jobs/index.ts';
import { Metrics } from '../../src/platform/metrics.ts';
import { insertRepricerRule, seedRepricerListing } from '../factories/index.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { testJobDeps } from '../helpers/deps.ts';

// Floors as in src/domains/repricer/repricer.run.test.ts (VAT 0): cost 10 → 17.06, cost 20 → 30.59.
// "Now" for the app and the agent: the factory's listings, buy box points and fees are dated from it,
// and the repricer weighs an applied price against the listing row by time (a wall clock behind the
// fixtures would make the listing row newer than a price applied through the API).
const AT = '2026-11-28T10:00:00Z';
let t: TestApp;
let viewer: string;
let ops: string;

async function call(
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  opts: { auth?: string; body?: unknown } = {},
) {
  const res = await t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { authorization: opts.auth ?? viewer },
    payload: opts.body as object | undefined,
  });
  return { status: res.statusCode, body: res.json() };
}

const count = async (table: string) =>
  (await t.tdb.db.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;

beforeAll(async () => {
  t = await createTestApp({ env: { VAT_RATE: '0' }, clock: fixedClock(AT) });
  viewer = await t.bearer('viewer');
  ops = await t.bearer('ops', 'olga');
  const db = t.tdb.db;
  await seedRepricerListing(db, { sku: 'P-A' }); // 20.00 → 19.49
  await seedRepricerListing(db, { sku: 'P-C', cost: '20.00', price: '32.00', buybox: '0.01' }); // → 30.59
  await seedRepricerListing(db, { sku: 'P-N', cost: null });
  await seedRepricerListing(db, { sku: 'P-M', rule: { map_price: '25.00', max_price: '40.00' } });
  await updateRoi(db, { settings: roiSettingsFrom(t.deps.config) });
});
afterAll(async () => {
  await t?.close();
});

describe('repricer rules', () => {
  it('PUT needs role ops', async () => {
    const r = await call('PUT', '/repricer/rules', { body: { rules: [{ sku: 'X' }] } });
    expect(r.status).toBe(403);
  });

  it('PUT refuses min > max with a 400 naming the sku and values, and saves nothing', async () => {
    const r = await call('PUT', '/repricer/rules', {
      auth: ops,
      body: {
        rules: [
          { sku: 'R-1', min_price: 10, max_price: 20 },
          { sku: 'R-2', min_price: '30.00', max_price: '20.00' },
        ],
      },
    });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({
      code: 'invalid',
      message:
        'invalid repricer rule: rules[1] (sku R-2) min_price 30.00 > max_price 20.00; nothing was saved',
      details: { problems: [{ index: 1, sku: 'R-2', field: 'min_price', value: '30.00' }] },
      request_id: expect.any(String),
    });
    expect(await count("repricer_rules WHERE sku LIKE 'R-%'")).toBe(0);
  });

  it('PUT lists every problem: unknown strategy, 3 decimals, a SKU twice, unknown field', async () => {
    const r = await call('PUT', '/repricer/rules', {
      auth: ops,
      body: {
        rules: [{ sku: 'R-1', strategy: 'cheapest' }, { sku: 'R-2', step: '0.005' }, { sku: 'R-2' }],
      },
    });
    expect(r.status).toBe(400);
    expect(
      r.body.error.details.problems.map((p: { index: number; field: string }) => [p.index, p.field]),
    ).toEqual([
      [0, 'strategy'],
      [1, 'step'],
    ]);
    const extra = await call('PUT', '/repricer/rules', {
      auth: ops,
      body: { rules: [{ sku: 'R', floor: 1 }] },
    });
    expect(extra.status).toBe(400);
  });

  it('PUT dry_run counts without writing; then saves all, and an identical PUT changes nothing', async () => {
    const rules = [
      { sku: 'R-1', min_price: 10, max_price: '20,50', strategy: 'match_buybox' },
      { sku: 'R-2', enabled: false, step: '0.05' },
    ];
    const dry = await call('PUT', '/repricer/rules', { auth: ops, body: { rules, dry_run: true } });
    expect(dry).toMatchObject({ status: 200, body: { dry_run: true, rules: 2, inserted: 2, updated: 0 } });
    expect(await count("repricer_rules WHERE sku LIKE 'R-%'")).toBe(0);
    const put = await call('PUT', '/repricer/rules', { auth: ops, body: { rules } });
    expect(put.body).toMatchObject({ dry_run: false, inserted: 2, updated: 0, unchanged: 0 });
    const again = await call('PUT', '/repricer/rules', {
      auth: ops,
      body: { rules: [rules[0], { ...rules[1], enabled: true }] },
    });
    expect(again.body).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 });
    const list = await call('GET', '/repricer/rules?sku=R-&page_size=1');
    expect(list.body).toMatchObject({ total: 2, page: 1, page_size: 1 });
    expect(list.body.items).toEqual([
      expect.objectContaining({
        sku: 'R-1',
        min_price: '10.00',
        max_price: '20.50',
        strategy: 'match_buybox',
        enabled: true,
        updated_by: 'olga',
      }),
    ]);
    const disabled = await call('GET', '/repricer/rules?enabled=false');
    expect(disabled.body.total).toBe(0);
    expect((await call('GET', '/repricer/rules?page_size=500')).status).toBe(400);
    expect((await call('GET', '/repricer/rules?colour=red')).status).toBe(400);
  });

  it('the database refuses min > max too', async () => {
    await expect(
      insertRepricerRule(t.tdb.db, { sku: 'DB-1', min_price: '5.00', max_price: '4.00' }),
    ).rejects.toThrow(/repricer_rules_min_le_max/);
  });
});

describe('POST /pricing/simulate', () => {
  it('returns decisions for the skus, unknown ones as errors, and writes nothing', async () => {
    const r = await call('POST', '/pricing/simulate', { body: { skus: ['P-A', 'P-C', 'P-N', 'NOPE'] } });
    expect(r.status).toBe(200);
    expect(r.body.items).toEqual([
      expect.objectContaining({
        status: 'ok',
        sku: 'P-A',
        old_price: '20.00',
        final_price: '19.49',
        changed: true,
      }),
      expect.objectContaining({ sku: 'P-C', final_price: '30.59', guards: ['max_step', 'floor'] }),
      expect.objectContaining({ sku: 'P-N', skipped: true, reason: 'no landed cost' }),
      { status: 'error', sku: 'NOPE', error: 'unknown sku: no active listing NOPE in marketplace DE' },
    ]);
    expect(await count('repricer_log')).toBe(0);
    expect(await count('price_updates_log')).toBe(0);
    expect((await call('POST', '/pricing/simulate', { body: { skus: [] } })).status).toBe(400);
  });
});

describe('POST /pricing/apply', () => {
  it('needs role ops and refuses a bad price with 400', async () => {
    expect((await call('POST', '/pricing/apply', { body: { items: [{ sku: 'P-A' }] } })).status).toBe(403);
    const bad = await call('POST', '/pricing/apply', {
      auth: ops,
      body: { items: [{ sku: 'P-A', price: 'cheap' }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/price of sku P-A must be a positive number \(cheap\)/);
  });

  it('dry_run clamps a price to the floor (and MAP), reports per item, and writes nothing', async () => {
    const r = await call('POST', '/pricing/apply', {
      auth: ops,
      body: {
        dry_run: true,
        items: [
          { sku: 'P-A', price: 15 }, // below floor 17.06
          { sku: 'P-M', price: '50.00' }, // above max 40 … and MAP 25 is the floor
          { sku: 'P-M2', price: 1 },
          { sku: 'P-C' }, // the repricer's decision
          { sku: 'P-N', price: 25 },
        ],
      },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ dry_run: true, changed: 3, written: 0 });
    expect(r.body.items).toEqual([
      expect.objectContaining({ sku: 'P-A', old: '20.00', new: '17.06', changed: true, guards: ['floor'] }),
      expect.objectContaining({ sku: 'P-M', new: '40.00', guards: ['ceiling'], floor: '25.00' }),
      { status: 'error', sku: 'P-M2', error: 'unknown sku: no active listing P-M2 in marketplace DE' },
      expect.objectContaining({ sku: 'P-C', old: '32.00', new: '30.59', changed: true }),
      {
        status: 'error',
        sku: 'P-N',
        error: 'no landed cost for this listing: its floor is unknown, so no price is set',
      },
    ]);
    expect(r.body.items[0].reason).toBe('manual price 15.00; raised to floor 17.06: 20.00 → 17.06');
    expect(await count('price_updates_log')).toBe(0);

    const map = await call('POST', '/pricing/apply', {
      auth: ops,
      body: { dry_run: true, items: [{ sku: 'P-M', price: 18 }] },
    });
    expect(map.body.items[0]).toMatchObject({ new: '25.00', guards: ['floor', 'map'] });
  });

  it('writes price_updates_log with the token name as actor; the repricer then starts from it', async () => {
    const r = await call('POST', '/pricing/apply', {
      auth: ops,
      body: { dry_run: false, items: [{ sku: 'P-A', price: '18.5' }] },
    });
    expect(r.body).toMatchObject({ changed: 1, written: 1, items: [{ sku: 'P-A', new: '18.50' }] });
    const { rows } = await t.tdb.db.pool.query(
      'SELECT sku, old_price::text, new_price::text, actor, mode, strategy, submission_status FROM price_updates_log',
    );
    expect(rows).toEqual([
      {
        sku: 'P-A',
        old_price: '20.00',
        new_price: '18.50',
        actor: 'olga',
        mode: 'manual',
        strategy: 'manual',
        submission_status: 'not_submitted',
      },
    ]);
    const sim = await call('POST', '/pricing/simulate', { body: { skus: ['P-A'] } });
    expect(sim.body.items[0]).toMatchObject({ old_price: '18.50' });
  });
});

describe('GET /repricer/log', () => {
  it('filters by run, sku, guard and changed, newest first, paged', async () => {
    const deps = { ...testJobDeps(t.tdb, { clock: AT }), config: t.deps.config };
    const first = await runJob(repricerJob, deps, new Metrics());
    const second = await runJob(repricerJob, deps, new Metrics());
    const all = await call('GET', '/repricer/log?page_size=200');
    // 2 runs × 4 listings, and the 6 decisions POST /pricing/apply logged above (its dry runs too)
    expect(all.body.total).toBe(14);
    expect(all.body.total_capped).toBe(false);
    expect(all.body.items[0].run_id).toBe(second.run_id);
    const ids = all.body.items.map((i: { id: number }) => i.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const run1 = await call('GET', `/repricer/log?run_id=${first.run_id}`);
    expect(run1.body.total).toBe(4);
    const floor = await call('GET', `/repricer/log?guard=floor&run_id=${first.run_id}`);
    expect(floor.body.items.map((i: { sku: string }) => i.sku)).toEqual(['P-M', 'P-C']);
    const changed = await call('GET', `/repricer/log?changed=true&sku=P-C`);
    expect(changed.body).toMatchObject({
      total: 3,
      items: [
        { sku: 'P-C', run_id: second.run_id, final_price: '30.59', changed: true },
        { sku: 'P-C', run_id: first.run_id },
        { sku: 'P-C', mode: 'dry_run', strategy: 'beat_buybox', final_price: '30.59' },
      ],
    });
    expect((await call('GET', '/repricer/log?guard=cheap')).status).toBe(400);
    expect((await call('GET', '/repricer/log?run_id=nope')).status).toBe(400);
  });

  it('serves the filters from indexes', async () => {
    const db = t.tdb.db.pool;
    await db.query('SET enable_seqscan = off');
    const plan = async (sql: string) =>
      (await db.query(`EXPLAIN ${sql}`)).rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(
      await plan(
        "SELECT * FROM repricer_log WHERE marketplace = 'DE' AND sku = 'P-A' ORDER BY created_at DESC, id DESC LIMIT 50",
      ),
    ).toMatch(/repricer_log_sku_idx/);
    expect(
      await plan(
        "SELECT * FROM repricer_log WHERE run_id = '00000000-0000-0000-0000-000000000000' ORDER BY created_at DESC, id DESC LIMIT 50",
      ),
    ).toMatch(/repricer_log_run_idx/);
    expect(await plan("SELECT * FROM repricer_log WHERE guards @> ARRAY['floor']")).toMatch(
      /repricer_log_guards_idx/,
    );
    expect(
      await plan(
        "SELECT * FROM repricer_log WHERE marketplace = 'DE' AND changed ORDER BY created_at DESC, id DESC LIMIT 50",
      ),
    ).toMatch(/repricer_log_changed_idx/);
    expect(
      await plan(
        `SELECT * FROM repricer_rules WHERE marketplace = 'DE' AND sku COLLATE "C" LIKE 'R-%' ORDER BY sku COLLATE "C" LIMIT 50`,
      ),
    ).toMatch(/repricer_rules_sku_c_idx/);
    await db.query('RESET enable_seqscan');
  });
});
