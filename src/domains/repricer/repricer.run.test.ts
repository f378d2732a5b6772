import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedRepricerListing } from '../../../test/factories/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { testJobDeps } from '../../../test/helpers/deps.ts';
import { findJob, schedulesFor } from '../../jobs/registry.ts';
import { loadConfig } from '../../platform/config.ts';
import { runJob } from '../../platform/jobs/index.ts';
import { Metrics } from '../../platform/metrics.ts';
import { roiSettingsFrom, updateRoi } from '../roi/roi.service.ts';
import { repricerJob } from './repricer.job.ts';

/**
 * Hand-computed (VAT 0, min ROI 0.15, referral 3.00 at 20.00 = 15 %, fulfilment 3.00, storage 0):
 *   floor(cost 10) = (10 × 1.15 + 3) / 0.85 = 17.0588 → 17.06;  floor(cost 20) = 26 / 0.85 → 30.59.
 *   A  20.00, buy box 19.50, no stock      → beat 19.49 (within ±10 %: 18.00…22.00)
 *   B  18.00, buy box 16.00                → 15.99 < 16.20 (−10 %) → max_step 16.20 → floor 17.06
 *   C  cost 20, 32.00, buy box 0.01 (glitch) → 0.00 → max_step 28.80 → floor 30.59
 *   D  no vendor offer → skipped (no landed cost);  E  no buy box → skipped, price untouched
 *   G  19.50 = buy box 19.50, 5 in stock → we hold it: 19.49 would lower → winning, unchanged
 *   H  2 in stock, 30 sold in 30 days → 2 days of cover < 5 + 10 days lead → stock_low, unchanged
 *   I  18.00, buy box 20 → 19 → 18 → 17 within 24 h (3 drops), 16.99 ≤ floor → price_war, unchanged
 *   J  match buy box 30.00, max 21.00 → 30.00 > 22.00 → max_step 22.00 → ceiling 21.00
 *   K  rule disabled → skipped
 */
const AT = '2026-11-28T10:00:00Z';
const h = (hours: number) => new Date(Date.parse(AT) - hours * 3_600_000).toISOString();

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});

async function refresh() {
  await updateRoi(tdb.db, {
    settings: roiSettingsFrom(loadConfig({ DATABASE_URL: tdb.url, VAT_RATE: '0' })),
  });
}

async function reset() {
  await tdb.db.pool.query(
    `TRUNCATE listings, repricer_rules, repricer_log, price_updates_log, buybox_history, fees, vendor_prices,
       vendors, products, inventory_snapshots, inventory_ledger_raw CASCADE`,
  );
}

async function logOf(runId: string) {
  const { rows } = await tdb.db.pool.query(
    `SELECT sku, old_price::text AS old, proposed::text, final_price::text AS final, floor::text, ceiling::text,
            guards, changed, skipped, error, mode, reason
     FROM repricer_log WHERE run_id = $1 ORDER BY sku`,
    [runId],
  );
  return Object.fromEntries(rows.map((r) => [r.sku, r]));
}

const updates = async () =>
  (
    await tdb.db.pool.query(
      `SELECT sku, old_price::text AS old, new_price::text AS new, actor, mode, submission_status, run_id,
              context->'guards' AS guards, context->>'floor' AS floor
       FROM price_updates_log ORDER BY sku, id`,
    )
  ).rows;

const run = (mode?: string, env: Record<string, string> = {}, dryRun = false) =>
  runJob(repricerJob, testJobDeps(tdb, { env, clock: AT }), new Metrics(), {
    dryRun,
    data: mode ? { mode } : {},
  });

describe('the repricer agent over seeded listings', () => {
  beforeAll(async () => {
    await reset();
    await seedRepricerListing(tdb.db, { sku: 'A' });
    await seedRepricerListing(tdb.db, { sku: 'B', price: '18.00', buybox: '16.00' });
    await seedRepricerListing(tdb.db, { sku: 'C', cost: '20.00', price: '32.00', buybox: '0.01' });
    await seedRepricerListing(tdb.db, { sku: 'D', cost: null });
    await seedRepricerListing(tdb.db, { sku: 'E', buybox: null });
    await seedRepricerListing(tdb.db, { sku: 'G', price: '19.50', quantity: 5 });
    await seedRepricerListing(tdb.db, {
      sku: 'H',
      stock: { fulfillable: 2 },
      sold30: 30,
      lead_time_days: 5,
    });
    await seedRepricerListing(tdb.db, {
      sku: 'I',
      price: '18.00',
      buybox: [
        ['20.00', h(30)],
        ['19.00', h(20)],
        ['18.00', h(10)],
        ['17.00', h(2)],
      ],
    });
    await seedRepricerListing(tdb.db, {
      sku: 'J',
      buybox: '30.00',
      rule: { strategy: 'match_buybox', max_price: '21.00' },
    });
    await seedRepricerListing(tdb.db, { sku: 'K', rule: { enabled: false } });
    await refresh();
  });

  it('is registered and scheduled by REPRICER_CRON', () => {
    expect(findJob('repricer')).toBe(repricerJob);
    expect(schedulesFor(loadConfig({ REPRICER_CRON: '*/5 * * * *' })).get('repricer')).toBe('*/5 * * * *');
  });

  it('dry_run (the default mode) logs every decision with its guards and writes no price', async () => {
    const r = await run();
    expect(r).toMatchObject({ status: 'success', error: null });
    expect(r.counts).toMatchObject({
      listings: 10,
      priced: 7,
      skipped: 3,
      errors: 0,
      changed: 4,
      unchanged: 3,
      price_updates: 0,
      tripped: 0,
    });
    const log = await logOf(r.run_id);
    expect(log.A).toMatchObject({
      old: '20.00',
      proposed: '19.49',
      final: '19.49',
      floor: '17.06',
      guards: [],
    });
    expect(log.A).toMatchObject({ changed: true, skipped: false, mode: 'dry_run' });
    expect(log.B).toMatchObject({
      proposed: '15.99',
      final: '17.06',
      guards: ['max_step', 'floor'],
      changed: true,
    });
    expect(log.B!.reason).toMatch(/raised to floor 17\.06: 18\.00 → 17\.06$/);
    expect(log.C).toMatchObject({
      proposed: '0.00',
      final: '30.59',
      floor: '30.59',
      guards: ['max_step', 'floor'],
    });
    expect(log.D).toMatchObject({ skipped: true, changed: false, final: '20.00', reason: 'no landed cost' });
    expect(log.E).toMatchObject({
      skipped: true,
      final: '20.00',
      guards: ['no_buybox'],
      reason: 'no buy box: price untouched',
    });
    expect(log.G).toMatchObject({ final: '19.50', guards: ['winning'], changed: false });
    expect(log.H).toMatchObject({ final: '20.00', guards: ['stock_low'], changed: false });
    expect(log.H!.reason).toMatch(/cover 2d < lead time 15d/);
    expect(log.I).toMatchObject({ proposed: '16.99', final: '18.00', guards: ['price_war'], changed: false });
    expect(log.I!.reason).toMatch(/3 buy box drops/);
    expect(log.J).toMatchObject({
      proposed: '30.00',
      final: '21.00',
      ceiling: '21.00',
      guards: ['max_step', 'ceiling'],
    });
    expect(log.K).toMatchObject({ skipped: true, reason: 'rule disabled' });
    expect(await updates()).toEqual([]);
  });

  it('--dry-run forces dry_run even when apply is asked for', async () => {
    const r = await run('apply', {}, true);
    expect(r).toMatchObject({ status: 'success', dry_run: true });
    expect((await logOf(r.run_id)).A!.mode).toBe('dry_run');
    expect(await updates()).toEqual([]);
  });

  it('apply writes one price update per changed price; the next run starts from the applied prices', async () => {
    const r = await run('apply');
    expect(r.counts).toMatchObject({ changed: 4, price_updates: 4 });
    const u = await updates();
    expect(u.map((x) => [x.sku, x.old, x.new])).toEqual([
      ['A', '20.00', '19.49'],
      ['B', '18.00', '17.06'],
      ['C', '32.00', '30.59'],
      ['J', '20.00', '21.00'],
    ]);
    expect(u[1]).toMatchObject({
      actor: 'repricer',
      mode: 'apply',
      submission_status: 'not_submitted',
      run_id: r.run_id,
      guards: ['max_step', 'floor'],
      floor: '17.06',
    });

    // REPRICER_MODE=apply from the configuration; old prices are now the applied ones
    const again = await run(undefined, { REPRICER_MODE: 'apply' });
    expect(again.counts).toMatchObject({ changed: 0, price_updates: 0 });
    const log = await logOf(again.run_id);
    expect(log.A).toMatchObject({ old: '19.49', final: '19.49', mode: 'apply' });
    expect(log.B).toMatchObject({ old: '17.06', proposed: '15.99', final: '17.06', guards: ['floor'] });
    expect(log.J).toMatchObject({ old: '21.00', final: '21.00' });
    expect(await updates()).toHaveLength(4);
  });

  it('refuses an unknown mode without retrying', async () => {
    const r = await run('yolo');
    expect(r).toMatchObject({ status: 'failed', retryable: false });
    expect(r.error).toMatch(/data\.mode must be dry_run, apply or live \(not yolo\)/);
  });

  it('live mode without SP-API credentials fails, naming every missing variable', async () => {
    const r = await run('live');
    expect(r).toMatchObject({ status: 'failed', retryable: false });
    expect(r.error).toBe(
      'repricer live mode needs SP_API_CLIENT_ID, SP_API_CLIENT_SECRET, SP_API_REFRESH_TOKEN, SP_API_SELLER_ID; ' +
        'set them or run with --mode apply or dry_run',
    );
    const partial = await run('live', {
      SP_API_CLIENT_ID: 'id',
      SP_API_CLIENT_SECRET: 'secret',
      SP_API_REFRESH_TOKEN: 'token',
    });
    expect(partial.error).toMatch(/^repricer live mode needs SP_API_SELLER_ID; set it/);
  });
});

describe('the circuit breaker', () => {
  beforeEach(reset);

  it('trips when more than 20 % of priced listings would drop by over 20 %: nothing applied, all logged', async () => {
    // max step 50 %: floor (1 × 1.15 + 3) / 0.85 = 4.88, so 20.00 → 9.99 is held at −50 % = 10.00 (−50 %)
    await seedRepricerListing(tdb.db, { sku: 'X1', cost: '1.00', buybox: '10.00' });
    await seedRepricerListing(tdb.db, { sku: 'X2', cost: '1.00', buybox: '10.00' });
    await seedRepricerListing(tdb.db, { sku: 'X3' });
    await refresh();
    const r = await run('apply', { REPRICER_MAX_STEP_PCT: '50' });
    expect(r).toMatchObject({ status: 'tripped', error: null });
    expect(r.reason).toBe(
      'circuit breaker: 2 of 3 priced listings would drop by more than 20 % (limit 20 %); no price was applied or submitted',
    );
    expect(r.counts).toMatchObject({ changed: 3, big_drops: 2, price_updates: 0, tripped: 1 });
    expect(await updates()).toEqual([]);
    const log = await logOf(r.run_id);
    expect(log.X1).toMatchObject({ old: '20.00', final: '10.00', guards: ['max_step', 'breaker'] });
    expect(log.X3).toMatchObject({ final: '19.49', guards: ['breaker'] });
    const { rows } = await tdb.db.pool.query('SELECT status FROM agent_runs WHERE id = $1', [r.run_id]);
    expect(rows[0].status).toBe('tripped');
  });

  it('does not trip at exactly the limit: 1 of 5 is 20 %, not more', async () => {
    await seedRepricerListing(tdb.db, { sku: 'Y1', cost: '1.00', buybox: '10.00' });
    for (const sku of ['Y2', 'Y3', 'Y4', 'Y5']) await seedRepricerListing(tdb.db, { sku });
    await refresh();
    const r = await run('apply', { REPRICER_MAX_STEP_PCT: '50' });
    expect(r).toMatchObject({ status: 'success' });
    expect(r.counts).toMatchObject({ big_drops: 1, price_updates: 5 });
  });
});
