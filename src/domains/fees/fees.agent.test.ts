import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  insertBuybox,
  insertFees,
  insertProduct,
  insertVendor,
  insertVendorPrice,
} from '../../../test/factories/index.ts';
import { type FakeSpApi, startFakeSpApi } from '../../../test/fakes/spapi.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { testJobDeps } from '../../../test/helpers/deps.ts';
import { type FakeTime, fakeTime } from '../../../test/helpers/http.ts';
import { findJob, schedulesFor } from '../../jobs/registry.ts';
import { loadConfig } from '../../platform/config.ts';
import { runJob } from '../../platform/jobs/index.ts';
import { Metrics } from '../../platform/metrics.ts';
import { roiSettingsFrom, updateRoi } from '../roi/roi.service.ts';
import { createFeesJob, feesJob } from './fees.job.ts';
import { feesRows, insertSellerListing, seedListings, spApiEnv } from './testkit.ts';

let tdb: TestDatabase;
let api: FakeSpApi;
let time: FakeTime;

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});
beforeEach(async () => {
  await tdb.db.pool.query(
    'TRUNCATE listings, fees, fees_history, buybox_history, vendor_prices, vendors, products CASCADE',
  );
  time = fakeTime();
  api = await startFakeSpApi({ now: time.nowMs });
});
afterEach(async () => {
  await api.close();
});

const tuned = () => createFeesJob({ clock: time.clock, sleep: time.sleep, random: () => 0.5 });

describe('the fees agent', () => {
  it('is registered, scheduled by FEES_CRON, and skips cleanly without credentials', async () => {
    expect(findJob('fees')).toBe(feesJob);
    expect(schedulesFor(loadConfig({ FEES_CRON: '15 3 * * *' })).get('fees')).toBe('15 3 * * *');
    await seedListings(tdb.db, 3);
    const r = await runJob(tuned(), testJobDeps(tdb), new Metrics());
    expect(r).toMatchObject({ status: 'skipped', reason: 'not_configured', error: null });
    expect(api.calls).toHaveLength(0);
    expect(api.tokenRequests).toHaveLength(0);
    const { rows } = await tdb.db.pool.query('SELECT status, reason FROM agent_runs WHERE id = $1', [
      r.run_id,
    ]);
    expect(rows).toEqual([{ status: 'skipped', reason: 'not_configured' }]);
    expect(await feesRows(tdb.db)).toEqual([]);
  });

  it('refuses data.asins that are not ASINs', async () => {
    const r = await runJob(tuned(), testJobDeps(tdb, { env: spApiEnv(api) }), new Metrics(), {
      data: { asins: ['nope'] },
    });
    expect(r).toMatchObject({ status: 'failed', retryable: false });
    expect(r.error).toBe(
      `fees: the queued payload does not fit: asins.0 Expected string to match '^[A-Z0-9]{10}$' (got "nope")`,
    );
  });

  it('refreshes ROI with the new fees', async () => {
    const v = await insertVendor(tdb.db);
    const { asin } = await insertProduct(tdb.db, { weight_kg: null });
    await insertVendorPrice(tdb.db, { vendor_id: v.id, asin, cost: '10.00' });
    await insertBuybox(tdb.db, { asin, price: '29.99' });
    // 3.00 + 3.50 + 0.20, from an older fee preview (older than the agent's clock: a stored row newer
    // than the run's observation would be kept)
    await insertFees(tdb.db, { asin, captured_at: '2026-11-20T00:00:00Z' });
    await insertSellerListing(tdb.db, { asin, price: '24.99' });
    const config = loadConfig({ DATABASE_URL: tdb.url });
    await updateRoi(tdb.db, { settings: roiSettingsFrom(config), reason: 'test' });
    const fees = async () =>
      (
        await tdb.db.pool.query(
          'SELECT referral::text, fulfilment::text, storage::text, fees::text FROM roi_offers WHERE asin = $1',
          [asin],
        )
      ).rows[0];
    expect(await fees()).toEqual({
      referral: '3.0000',
      fulfilment: '3.5000',
      storage: '0.2000',
      fees: '6.7000',
    });

    const r = await runJob(tuned(), testJobDeps(tdb, { env: spApiEnv(api) }), new Metrics());
    expect(r.counts).toMatchObject({ updated: 1, roi_refreshed: 1 });
    // 15 % of the listing price 24.99 = 3.7485 → 3.75; FBA 3.27; SP-API has no storage fee: kept
    expect(await fees()).toEqual({
      referral: '3.7500',
      fulfilment: '3.2700',
      storage: '0.2000',
      fees: '7.2200',
    });
    const { rows } = await tdb.db.pool.query(
      'SELECT reason FROM roi_refreshes ORDER BY finished_at DESC LIMIT 1',
    );
    expect(rows[0].reason).toBe('fees');

    // nothing changed: no refresh
    const again = await runJob(tuned(), testJobDeps(tdb, { env: spApiEnv(api) }), new Metrics(), {
      data: { asins: [asin] },
    });
    expect(again.counts).toMatchObject({ requested: 1, updated: 0, unchanged: 1, roi_refreshed: 0 });
  });
});

describe('LWA access token', () => {
  it('is exchanged once and reused across runs until it expires, then exchanged again', async () => {
    const asins = await seedListings(tdb.db, 20);
    const deps = testJobDeps(tdb, { env: spApiEnv(api) });
    const metrics = new Metrics();
    const job = tuned();
    for (let i = 0; i < 3; i++) {
      const r = await runJob(job, deps, metrics, { data: { asins } });
      expect(r.status).toBe('success');
    }
    expect(api.tokenRequests).toHaveLength(1);
    expect(api.tokenRequests[0]!.form).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'Atzr|fake-refresh',
      client_id: 'amzn1.application-oa2-client.fake',
      client_secret: 'fake-secret',
    });
    expect(new Set(api.calls.map((c) => c.token))).toEqual(new Set(['Atza|fake-1']));
    time.advance(3600_000);
    await runJob(job, deps, metrics, { data: { asins } });
    expect(api.tokenRequests).toHaveLength(2);
    expect(api.calls.at(-1)!.token).toBe('Atza|fake-2');
  });

  it('is renewed within a run shortly before it expires, so no call is refused', async () => {
    await seedListings(tdb.db, 200);
    api.setExpiresIn(10);
    const r = await runJob(tuned(), testJobDeps(tdb, { env: spApiEnv(api) }), new Metrics());
    expect(r.counts).toMatchObject({ requested: 200, updated: 200, calls: 10 });
    // calls at 0, 2, …, 18 s; a 10 s token is renewed 1 s early: at 10 s
    expect(api.tokenRequests.map((t) => t.at - api.calls[0]!.at)).toEqual([0, 10_000]);
    expect(api.calls.every((c) => c.status === 200)).toBe(true);
  });
});
