import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repricerJob } from '../../src/domains/repricer/repricer.job.ts';
import { roiSettingsFrom, updateRoi } from '../../src/domains/roi/roi.service.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { runJob } from '../../src/platform/jobs/index.ts';
import { Metrics } from '../../src/platform/metrics.ts';
import { seedRepricerListing } from '../factories/index.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { testJobDeps } from '../helpers/deps.ts';

// What the web app's repricer page reads and writes: simulation by page with profit and ROI, apply
// with an explicit mode (every decision logged, the dry run's too), runs, log sorting, CSVs, rule
// files. Floors as in repricer.test.ts (VAT 0): cost 10 → 17.06, cost 20 → 30.59.
const AT = '2026-11-28T10:00:00Z';
let t: TestApp;
let viewer: string;
let ops: string;

async function call(method: 'GET' | 'POST', url: string, opts: { auth?: string; body?: unknown } = {}) {
  const res = await t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { authorization: opts.auth ?? viewer },
    payload: opts.body as object | undefined,
  });
  const json = res.headers['content-type']?.toString().includes('json');
  return { status: res.statusCode, body: json ? res.json() : res.body, headers: res.headers };
}

async function upload(name: string, content: string, fields: Record<string, string> = {}, auth = ops) {
  const boundary = '----awa-test-boundary';
  const parts = [
    ...Object.entries(fields).map(
      ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
    ),
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n${content}\r\n`,
    `--${boundary}--\r\n`,
  ];
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/repricer/rules/import',
    headers: { authorization: auth, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.from(parts.join('')),
  });
  return { status: res.statusCode, body: res.json() };
}

const q = async (sql: string, values: unknown[] = []) => (await t.tdb.db.pool.query(sql, values)).rows;

beforeAll(async () => {
  t = await createTestApp({ env: { VAT_RATE: '0' }, clock: fixedClock(AT) });
  viewer = await t.bearer('viewer');
  ops = await t.bearer('ops', 'olga');
  const db = t.tdb.db;
  await seedRepricerListing(db, { sku: 'S-A' }); // 20.00 → 19.49
  await seedRepricerListing(db, { sku: 'S-C', cost: '20.00', price: '32.00', buybox: '0.01' }); // → 30.59
  await seedRepricerListing(db, { sku: 'S-N', cost: null });
  await seedRepricerListing(db, { sku: 'T-1' });
  await updateRoi(db, { settings: roiSettingsFrom(t.deps.config) });
});
afterAll(async () => {
  await t?.close();
});

describe('simulation', () => {
  it('gives profit and ROI at the final price in the floor’s terms: ROI at the floor is the minimum', async () => {
    const r = await call('POST', '/pricing/simulate', { body: { skus: ['S-A', 'S-C', 'S-N'] } });
    const [a, c, n] = r.body.items;
    // 19.49 × 0.85 − 3.00 − 10.00 = 3.5665 → 3.57; 3.5665 / 10 = 35.7 %
    expect(a).toMatchObject({ final_price: '19.49', profit: '3.57', roi_pct: '35.7' });
    // at the floor 30.59: 30.59 × 0.85 − 3 − 20 = 3.0015 → ROI 15.0 %, the minimum
    expect(c).toMatchObject({ final_price: '30.59', floor: '30.59', profit: '3.00', roi_pct: '15.0' });
    expect(n).toMatchObject({ skipped: true, profit: null, roi_pct: null });
  });

  it('pages active listings by SKU prefix, each with its decision; writes nothing', async () => {
    const r = await call('GET', '/repricer/simulation?sku=S-&page_size=2');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ total: 3, page: 1, page_size: 2 });
    expect(r.body.items.map((i: { sku: string }) => i.sku)).toEqual(['S-A', 'S-C']);
    const p2 = await call('GET', '/repricer/simulation?sku=S-&page_size=2&page=2');
    expect(p2.body.items.map((i: { sku: string }) => i.sku)).toEqual(['S-N']);
    expect((await call('GET', '/repricer/simulation?page_size=500')).status).toBe(400);
    expect(await q('SELECT 1 FROM repricer_log')).toHaveLength(0);
  });

  it('says the mode and limits the repricer runs with', async () => {
    const r = await call('GET', '/repricer/settings');
    expect(r.body).toEqual({
      marketplace: 'DE',
      currency: 'EUR',
      mode: 'dry_run',
      min_roi: 0.15,
      max_step_pct: 10,
      breaker_pct: 20,
      live_apply_max: 100,
    });
  });
});

describe('POST /pricing/apply with a mode', () => {
  it('a dry run logs its decisions under a run id, and sets no price', async () => {
    const r = await call('POST', '/pricing/apply', {
      auth: ops,
      body: { mode: 'dry_run', items: [{ sku: 'S-A' }, { sku: 'S-C', price: 15 }, { sku: 'NOPE' }] },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ dry_run: true, mode: 'dry_run', changed: 2, written: 0 });
    expect(await q('SELECT 1 FROM price_updates_log')).toHaveLength(0);
    const log = await call('GET', `/repricer/log?run_id=${r.body.run_id}&sort=sku`);
    expect(log.body.items).toEqual([
      expect.objectContaining({ sku: 'S-A', mode: 'dry_run', strategy: 'beat_buybox', final_price: '19.49' }),
      expect.objectContaining({
        sku: 'S-C',
        mode: 'dry_run',
        strategy: 'manual',
        proposed: '15.00',
        final_price: '30.59',
        guards: ['floor'],
        reason: 'manual price 15.00; raised to floor 30.59: 32.00 → 30.59',
      }),
    ]);
  });

  it('apply writes the price book; live needs REPRICER_MODE=live; a contradiction is refused', async () => {
    const live = await call('POST', '/pricing/apply', {
      auth: ops,
      body: { mode: 'live', items: [{ sku: 'S-A' }] },
    });
    expect(live.status).toBe(400);
    expect(live.body.error.message).toMatch(/needs REPRICER_MODE=live \(it is dry_run\)/);
    const both = await call('POST', '/pricing/apply', {
      auth: ops,
      body: { mode: 'apply', dry_run: true, items: [{ sku: 'S-A' }] },
    });
    expect(both.status).toBe(400);
    expect(
      (await call('POST', '/pricing/apply', { body: { mode: 'dry_run', items: [{ sku: 'S-A' }] } })).status,
    ).toBe(403);
    const r = await call('POST', '/pricing/apply', {
      auth: ops,
      body: { mode: 'apply', items: [{ sku: 'T-1' }] },
    });
    expect(r.body).toMatchObject({ mode: 'apply', dry_run: false, changed: 1, written: 1 });
    expect(await q('SELECT sku, new_price::text, actor FROM price_updates_log')).toEqual([
      { sku: 'T-1', new_price: '19.49', actor: 'olga' },
    ]);
    // audit rows are written in batches about once a second
    await expect
      .poll(
        async () =>
          (
            await q("SELECT details FROM audit_log WHERE event = 'repricer_apply' ORDER BY id DESC LIMIT 1")
          )[0]?.details,
        { timeout: 5000 },
      )
      .toMatchObject({ mode: 'apply', run_id: r.body.run_id, changed: 1 });
  });
});

describe('the log: runs, sorting, CSV', () => {
  let agentRun: string;
  beforeAll(async () => {
    const deps = { ...testJobDeps(t.tdb, { clock: AT }), config: t.deps.config };
    agentRun = (await runJob(repricerJob, deps, new Metrics())).run_id;
    // a run the breaker stopped (its rows carry the guard the run service adds)
    await q(
      `INSERT INTO repricer_log (run_id, marketplace, sku, currency, old_price, final_price, strategy, guards,
         changed, skipped, mode, reason, created_at)
       VALUES ('00000000-0000-4000-8000-000000000001', 'DE', 'S-A', 'EUR', 20, 5, 'beat_buybox',
         '{max_step,breaker}', true, false, 'apply', 'glitch', $1::timestamptz - interval '1 hour')`,
      [AT],
    );
  });

  it('lists runs newest first, the tripped one marked, with decisions and changes', async () => {
    const r = await call('GET', '/repricer/runs');
    expect(r.status).toBe(200);
    const byId = new Map(r.body.items.map((x: { run_id: string }) => [x.run_id, x]));
    expect(byId.get(agentRun)).toMatchObject({
      source: 'agent',
      status: 'success',
      mode: 'dry_run',
      decisions: 4,
    });
    expect(byId.get('00000000-0000-4000-8000-000000000001')).toMatchObject({
      source: 'manual',
      tripped: true,
      decisions: 1,
      changed: 1,
    });
    expect(r.body.items.at(-1).run_id).toBe('00000000-0000-4000-8000-000000000001');
    expect(r.body.items).toHaveLength(4); // the agent run, two applies, the tripped one
    expect((await call('GET', '/repricer/runs?limit=1')).body.items).toHaveLength(1);
  });

  it('sorts by SKU or by relative change; a bad sort is a 400', async () => {
    const sku = await call('GET', `/repricer/log?run_id=${agentRun}&sort=sku&order=desc`);
    expect(sku.body.items.map((i: { sku: string }) => i.sku)).toEqual(['T-1', 'S-N', 'S-C', 'S-A']);
    const change = await call('GET', '/repricer/log?sort=change&page_size=1');
    expect(change.body.items[0]).toMatchObject({ reason: 'glitch', guards: ['max_step', 'breaker'] });
    const tripped = await call('GET', '/repricer/log?guard=breaker');
    expect(tripped.body.total).toBe(1);
    expect((await call('GET', '/repricer/log?sort=price')).status).toBe(400);
  });

  it('downloads the filtered log as CSV in the page order', async () => {
    const r = await call('GET', `/repricer/log.csv?run_id=${agentRun}&sort=sku`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/text\/csv/);
    expect(r.headers['content-disposition']).toBe('attachment; filename="awa-repricer-log-2026-11-28.csv"');
    const lines = (r.body as string)
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(
      'created_at,run_id,mode,sku,asin,currency,old_price,proposed,final_price,floor,ceiling,buybox,strategy,guards,changed,skipped,error,reason',
    );
    expect(lines.slice(1).map((l) => l.split(',')[3])).toEqual(['S-A', 'S-C', 'S-N', 'T-1']);
    expect(lines[2]).toContain(',max_step|floor,true,false,false,');
  });

  it('serves the runs list and the change sort from their indexes', async () => {
    const db = t.tdb.db.pool;
    await db.query('SET enable_seqscan = off');
    const plan = async (sql: string) =>
      (await db.query(`EXPLAIN ${sql}`)).rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(
      await plan(
        `SELECT run_id FROM repricer_log WHERE marketplace = 'DE' AND (created_at, run_id) < (now(), '00000000-0000-0000-0000-000000000000'::uuid) ORDER BY created_at DESC, run_id DESC LIMIT 1`,
      ),
    ).toMatch(/repricer_log_runs_idx/);
    expect(
      await plan(
        "SELECT id FROM repricer_log WHERE marketplace = 'DE' ORDER BY coalesce((final_price - old_price) / nullif(old_price, 0), 0), id LIMIT 50",
      ),
    ).toMatch(/repricer_log_change_idx/);
    await db.query('RESET enable_seqscan');
  });
});

describe('rules as CSV: export and import (all or none)', () => {
  it('exports what the import reads back; the import is a dry run unless told otherwise', async () => {
    await q(
      "INSERT INTO repricer_rules (marketplace, sku, min_price, max_price, strategy) VALUES ('DE', 'S-A', 12, 30, 'match_buybox')",
    );
    const csv = await call('GET', '/repricer/rules.csv');
    expect(csv.status).toBe(200);
    const text = (csv.body as string).replace(/^\uFEFF/, '');
    expect(text).toBe(
      'sku,min_price,max_price,map_price,strategy,step,enabled,marketplace\r\nS-A,12.00,30.00,,match_buybox,,true,DE\r\n',
    );
    const edited = `${text}S-C,25.00,40.00,,hold,,false,DE\r\n`;
    const dry = await upload('rules.csv', edited);
    expect(dry).toMatchObject({
      status: 200,
      body: { dry_run: true, rules: 2, inserted: 1, unchanged: 1, rows: 2 },
    });
    expect(await q("SELECT 1 FROM repricer_rules WHERE sku = 'S-C'")).toHaveLength(0);
    const real = await upload('rules.csv', edited, { dry_run: 'false' });
    expect(real.body).toMatchObject({ dry_run: false, inserted: 1, file: 'rules.csv' });
    expect(await q("SELECT strategy, enabled FROM repricer_rules WHERE sku = 'S-C'")).toEqual([
      { strategy: 'hold', enabled: false },
    ]);
  });

  it('refuses a file with problems, every one by line and column, and saves nothing', async () => {
    const r = await upload(
      'bad.csv',
      'SKU;Min;Max;Strategy\r\nX-1;30,00;20,00;hold\r\nX-2;1;2;cheapest\r\nX-1;1;2;hold\r\n',
      { dry_run: 'false' },
    );
    expect(r.status).toBe(400);
    expect(r.body.error.details.rejections).toEqual([
      { line: 2, column: 'Min', value: '30,00', reason: 'min_price 30,00 > max_price 20,00' },
      {
        line: 3,
        column: 'Strategy',
        value: 'cheapest',
        reason: 'must be one of match_buybox, beat_buybox, min_roi, hold',
      },
    ]);
    expect(await q("SELECT 1 FROM repricer_rules WHERE sku LIKE 'X-%'")).toHaveLength(0);
    expect((await upload('rules.csv', 'sku\r\nX-9\r\n', {}, viewer)).status).toBe(403);
  });
});
