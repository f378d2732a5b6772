import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { insertBuybox, insertFees, insertVendor, insertVendorPrice } from '../../../test/factories/index.ts';
import { defaultFees, type FakeSpApi, startFakeSpApi } from '../../../test/fakes/spapi.ts';
import { minGapMs } from '../../../test/fakes/spapi-rate.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { testJobDeps } from '../../../test/helpers/deps.ts';
import { type FakeTime, fakeTime } from '../../../test/helpers/http.ts';
import type { JobDeps } from '../../platform/jobs/index.ts';
import { runJob } from '../../platform/jobs/index.ts';
import { Metrics } from '../../platform/metrics.ts';
import { createFeesJob } from './fees.job.ts';
import { feesRows, historyRows, insertSellerListing, seedListings, spApiEnv } from './testkit.ts';

let tdb: TestDatabase;
let api: FakeSpApi;
let time: FakeTime;
let deps: JobDeps;
let metrics: Metrics;
let job: ReturnType<typeof createFeesJob>;

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});
beforeEach(async () => {
  await tdb.db.pool.query(
    'TRUNCATE listings, fees, fees_history, buybox_history, vendor_prices, vendors CASCADE',
  );
  time = fakeTime();
  api = await startFakeSpApi({ now: time.nowMs });
  setup();
});
afterEach(async () => {
  await api.close();
});

/** Deps and a job instance that live across runs, as in one worker process. */
function setup(clock = '2026-11-28T10:00:00Z') {
  deps = testJobDeps(tdb, { env: spApiEnv(api), clock });
  metrics = new Metrics();
  job = createFeesJob({ clock: time.clock, sleep: time.sleep, random: () => 0.5 });
}

const run = (o: { dryRun?: boolean; asins?: string[] } = {}) =>
  runJob(job, deps, metrics, { dryRun: o.dryRun, data: o.asins ? { asins: o.asins } : undefined });

describe('SP-API fee refresh', () => {
  it('sends batches of at most 20 at no more than 0.5 requests/s and writes fees + history', async () => {
    const asins = await seedListings(tdb.db, 45);
    const r = await run();
    expect(r.status).toBe('success');
    expect(r.counts).toMatchObject({
      requested: 45,
      updated: 45,
      unchanged: 0,
      failed: 0,
      skipped: 0,
      calls: 3,
    });
    expect(api.calls.map((c) => c.items.length)).toEqual([20, 20, 5]);
    // burst 1, then one call per 2 s of (virtual) time
    expect(minGapMs(api.calls.map((c) => c.at))).toBeGreaterThanOrEqual(2000);
    expect(time.elapsedMs()).toBeGreaterThanOrEqual(4000);
    expect(api.throttled).toBe(0);

    const first = api.calls[0]!.items[0]!;
    expect(first).toEqual({
      IdType: 'ASIN',
      IdValue: asins[0],
      FeesEstimateRequest: {
        MarketplaceId: 'A1PA6795UKMFR9',
        IsAmazonFulfilled: true,
        PriceToEstimateFees: { ListingPrice: { CurrencyCode: 'EUR', Amount: 10.1 } },
        Identifier: `DE:${asins[0]}`,
      },
    });
    const fees = await feesRows(tdb.db);
    expect(fees).toHaveLength(45);
    // 15 % of 10.10 = 1.515 → 1.52 (half-up); FBAFees 3.27; closing + per-item fees 0
    expect(fees[0]).toMatchObject({
      asin: asins[0],
      referral: '1.52',
      fulfilment: '3.27',
      storage: null,
      other: '0.00',
      currency: 'EUR',
      price_basis: '10.10',
      source: 'sp_api',
    });
    const history = await historyRows(tdb.db);
    expect(history).toHaveLength(45);
    expect(history[0]!.captured_at.toISOString()).toBe('2026-11-28T00:00:00.000Z');
    const { rows } = await tdb.db.pool.query("SELECT counts FROM agent_runs WHERE agent = 'fees'");
    expect(rows[0].counts).toMatchObject({ requested: 45, updated: 45, calls: 3 });
  });

  it('rounds half-up to cents from the amounts as sent, summing fee types per column', async () => {
    await insertSellerListing(tdb.db, { asin: 'B000000001', price: '20.00' });
    await insertSellerListing(tdb.db, { asin: 'B000000002', price: '20.00' });
    api.setFees((i) =>
      i.asin === 'B000000001'
        ? [
            // 1.005 and 2.675 are just below their halves as doubles: rounding the double would round down
            { FeeType: 'ReferralFee', Amount: 1.005 },
            { FeeType: 'FBAFees', Amount: 2.675 },
            { FeeType: 'VariableClosingFee', Amount: 0.125 },
            { FeeType: 'PerItemFee', Amount: 0.125 },
            { FeeType: 'FBAStorageFee', Amount: 0.0449 },
          ]
        : [
            { FeeType: 'ReferralFee', Amount: 2.994999 },
            { FeeType: 'FBAPerUnitFulfillmentFee', Amount: 1.1 },
            { FeeType: 'FBAPerOrderFulfillmentFee', Amount: 0.2 },
            { FeeType: 'VariableClosingFee', Amount: -0.005 },
          ],
    );
    const r = await run();
    expect(r.counts).toMatchObject({ updated: 2, failed: 0 });
    const [a, b] = await feesRows(tdb.db);
    expect(a).toMatchObject({ referral: '1.01', fulfilment: '2.68', other: '0.25', storage: '0.04' });
    expect(b).toMatchObject({ referral: '2.99', fulfilment: '1.30', other: '-0.01', storage: null });
  });

  it('prices listings at their price, else the buy box, and sourced ASINs at their buy box', async () => {
    await insertSellerListing(tdb.db, { asin: 'B00000000A', price: '12.50' });
    await insertSellerListing(tdb.db, { asin: 'B00000000B', price: null });
    await insertBuybox(tdb.db, { asin: 'B00000000B', price: '14.00', captured_at: '2026-11-01T00:00:00Z' });
    await insertBuybox(tdb.db, { asin: 'B00000000B', price: '15.00', captured_at: '2026-11-20T00:00:00Z' });
    await insertSellerListing(tdb.db, { asin: 'B00000000C', price: '9.00', channel: 'MFN' });
    await insertSellerListing(tdb.db, { asin: 'B00000000D', price: '9.00', status: 'inactive' });
    await insertSellerListing(tdb.db, { asin: 'B00000000E', price: null }); // no buy box either
    const v = await insertVendor(tdb.db);
    await insertVendorPrice(tdb.db, { vendor_id: v.id, asin: 'B00000000F' });
    await insertBuybox(tdb.db, { asin: 'B00000000F', price: '30.00' });
    await insertVendorPrice(tdb.db, { vendor_id: v.id, asin: 'B00000000G' }); // no buy box: not priced
    const r = await run();
    expect(r.counts).toMatchObject({ requested: 4, updated: 4, skipped: 1 });
    expect(r.result).toMatchObject({
      skipped_items: [{ marketplace: 'DE', asin: 'B00000000E', reason: 'no_price' }],
    });
    const sent = Object.fromEntries(
      api.calls[0]!.items.map((i) => [
        i.IdValue,
        [
          i.FeesEstimateRequest.PriceToEstimateFees.ListingPrice.Amount,
          i.FeesEstimateRequest.IsAmazonFulfilled,
        ],
      ]),
    );
    expect(sent).toEqual({
      B00000000A: [12.5, true],
      B00000000B: [15, true],
      B00000000C: [9, false],
      B00000000F: [30, true],
    });
    const c = (await feesRows(tdb.db)).find((f) => f.asin === 'B00000000C');
    expect(c).toMatchObject({ fulfilment: '0.00', price_basis: '9.00' });
  });

  it('counts per-item errors inside a 200 batch as failed, not fatal', async () => {
    const asins = await seedListings(tdb.db, 25);
    api.failItem(
      asins[3]!,
      'InvalidParameterValue',
      'There is an client-side error. Please verify your inputs.',
    );
    api.failItem(asins[21]!, 'InvalidParameterValue', 'ASIN is not available in this marketplace.');
    const r = await run();
    expect(r.status).toBe('success');
    expect(r.counts).toMatchObject({ requested: 25, updated: 23, failed: 2 });
    expect(r.result).toMatchObject({
      errors: [
        { asin: asins[3], code: 'InvalidParameterValue', message: expect.stringContaining('client-side') },
        { asin: asins[21], code: 'InvalidParameterValue', message: expect.stringContaining('marketplace') },
      ],
    });
    expect(await feesRows(tdb.db)).toHaveLength(23);
  });

  it('dry run calls the API and reports the changes, writing nothing', async () => {
    await seedListings(tdb.db, 3);
    await insertFees(tdb.db, {
      asin: 'BF00000001',
      referral: '1.52',
      fulfilment: '3.27',
      other: '0.00',
      storage: null,
      source: 'sp_api',
      captured_at: '2026-11-27T10:00:00Z',
    });
    await tdb.db.pool.query("UPDATE fees SET price_basis = 10.10 WHERE asin = 'BF00000001'");
    const before = await feesRows(tdb.db);
    const refreshes = 'SELECT count(*)::int AS n FROM roi_refreshes';
    const refreshesBefore = (await tdb.db.pool.query(refreshes)).rows[0].n;
    const r = await run({ dryRun: true });
    expect(r.status).toBe('success');
    expect(r.dry_run).toBe(true);
    expect(r.counts).toMatchObject({ requested: 3, updated: 2, unchanged: 1, roi_refreshed: 0, calls: 1 });
    expect((r.result as { changes: Array<{ asin: string }> }).changes.map((c) => c.asin)).toEqual([
      'BF00000002',
      'BF00000003',
    ]);
    expect(await feesRows(tdb.db)).toEqual(before);
    expect(await historyRows(tdb.db)).toEqual([]);
    expect((await tdb.db.pool.query(refreshes)).rows[0].n).toBe(refreshesBefore);
  });
});

describe('keyed by date', () => {
  it('a rerun the same day skips what is confirmed; forced reruns add no duplicate history', async () => {
    const asins = await seedListings(tdb.db, 30);
    expect((await run()).counts).toMatchObject({ requested: 30, updated: 30 });
    const again = await run();
    expect(again.counts).toMatchObject({ requested: 0, skipped: 30, calls: 0 });
    expect(again.result).toMatchObject({ skipped_by_reason: { fresh: 30 } });

    // --asins forces a call; same fees → no write beyond checked_at, no new history point
    const forced = await run({ asins: asins.slice(0, 2) });
    expect(forced.counts).toMatchObject({ requested: 2, updated: 0, unchanged: 2 });
    // fees changed later that day: the day's point is updated, not duplicated
    api.setFees(() => [
      { FeeType: 'ReferralFee', Amount: 9.99 },
      { FeeType: 'FBAFees', Amount: 3.5 },
    ]);
    const changed = await run({ asins: asins.slice(0, 2) });
    expect(changed.counts).toMatchObject({ updated: 2 });
    const history = await historyRows(tdb.db);
    expect(history).toHaveLength(30);
    expect(history.find((h) => h.asin === asins[0])).toMatchObject({ referral: '9.99', fulfilment: '3.50' });

    // the next day everything is asked again: the two go back to the usual fees, one price changed;
    // those three get that day's point, the other 27 are unchanged and get none
    setup('2026-11-29T04:00:00Z');
    api.setFees(defaultFees);
    await tdb.db.pool.query('UPDATE listings SET price = 11.11 WHERE asin = $1', [asins[5]]);
    const next = await run();
    expect(next.counts).toMatchObject({ requested: 30, updated: 3, unchanged: 27 });
    const days = (await historyRows(tdb.db)).filter((h) =>
      h.captured_at.toISOString().startsWith('2026-11-29'),
    );
    expect(days.map((h) => h.asin).sort()).toEqual([asins[0], asins[1], asins[5]].sort());
  });

  it('a run that failed half-way is retried without duplicates and without asking again', async () => {
    await seedListings(tdb.db, 100);
    // two calls answer, then the authorisation is refused (also with a fresh token): the run fails
    api.script({ kind: 'ok' }, { kind: 'ok' }, { kind: 'forbidden' }, { kind: 'forbidden' });
    const failed = await run();
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(
      /^SP-API refused the fee request \(HTTP 403: Unauthorized: Access to requested resource is denied\.\)/,
    );
    expect(failed.retryable).toBe(false);
    expect(await feesRows(tdb.db)).toHaveLength(40);
    expect(failed.result).toMatchObject({ counts: { requested: 60, updated: 40, failed: 20 } });

    const retry = await run();
    expect(retry.counts).toMatchObject({ requested: 60, updated: 60, skipped: 40 });
    expect(retry.result).toMatchObject({ skipped_by_reason: { fresh: 40 } });
    const history = await historyRows(tdb.db);
    expect(history).toHaveLength(100);
    expect(new Set(history.map((h) => h.asin)).size).toBe(100);
  });
});
