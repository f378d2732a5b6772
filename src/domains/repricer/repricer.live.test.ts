import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedRepricerListing } from '../../../test/factories/index.ts';
import { type FakeListingsApi, startFakeListingsApi } from '../../../test/fakes/spapi-listings.ts';
import { maxObservedRate } from '../../../test/fakes/spapi-rate.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { testJobDeps } from '../../../test/helpers/deps.ts';
import { type FakeTime, fakeTime } from '../../../test/helpers/http.ts';
import { loadConfig } from '../../platform/config.ts';
import { runJob } from '../../platform/jobs/index.ts';
import { Metrics } from '../../platform/metrics.ts';
import { spApiEnv } from '../fees/testkit.ts';
import { roiSettingsFrom, updateRoi } from '../roi/roi.service.ts';
import { createRepricerJob } from './repricer.job.ts';

// Live mode against a local SP-API (LWA + Listings Items patchListingsItem) in virtual time.
// Every listing seeded here goes 20.00 → 19.49 (beat the 19.50 buy box; see repricer.run.test.ts).
const AT = '2026-11-28T10:00:00Z';
const SELLER = 'A2EXAMPLE1SELLER';

let tdb: TestDatabase;
let api: FakeListingsApi;
let time: FakeTime;

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});
beforeEach(async () => {
  await tdb.db.pool.query(
    `TRUNCATE listings, repricer_rules, repricer_log, price_updates_log, buybox_history, fees, vendor_prices,
       vendors, products CASCADE`,
  );
  time = fakeTime();
  api = await startFakeListingsApi({ now: time.nowMs });
});
afterEach(async () => {
  await api.close();
});

async function seed(skus: string[]) {
  for (const sku of skus) await seedRepricerListing(tdb.db, { sku });
  await updateRoi(tdb.db, {
    settings: roiSettingsFrom(loadConfig({ DATABASE_URL: tdb.url, VAT_RATE: '0' })),
  });
}

const live = (concurrency?: number) =>
  runJob(
    createRepricerJob({ clock: time.clock, sleep: time.sleep, random: () => 0.5, concurrency }),
    testJobDeps(tdb, { env: spApiEnv(api, { SP_API_SELLER_ID: SELLER }), clock: AT }),
    new Metrics(),
    { data: { mode: 'live' } },
  );

const submissions = async () =>
  (
    await tdb.db.pool.query(
      `SELECT sku, new_price::text AS new, mode, submission_status AS status, submission_id, issues
       FROM price_updates_log ORDER BY sku`,
    )
  ).rows;

describe('live mode', () => {
  it('submits each change with patchListingsItem and records ACCEPTED with its submission id', async () => {
    await seed(['SKU/1 ä']);
    const r = await live();
    expect(r).toMatchObject({ status: 'success' });
    expect(r.counts).toMatchObject({
      changed: 1,
      price_updates: 1,
      submitted: 1,
      accepted: 1,
      rejected: 0,
      failed: 0,
    });
    expect(api.calls).toHaveLength(1);
    const c = api.calls[0]!;
    expect(c).toMatchObject({
      sellerId: SELLER,
      sku: 'SKU/1 ä',
      marketplaceIds: 'A1PA6795UKMFR9',
      token: 'Atza|listings-1',
      contentType: 'application/json',
    });
    expect(c.body).toEqual({
      productType: 'PRODUCT',
      patches: [
        {
          op: 'replace',
          path: '/attributes/purchasable_offer',
          value: [
            {
              marketplace_id: 'A1PA6795UKMFR9',
              currency: 'EUR',
              our_price: [{ schedule: [{ value_with_tax: 19.49 }] }],
            },
          ],
        },
      ],
    });
    expect(await submissions()).toEqual([
      { sku: 'SKU/1 ä', new: '19.49', mode: 'live', status: 'accepted', submission_id: 'sub-1', issues: [] },
    ]);
  });

  it('records INVALID and 400 answers as rejected with Amazon’s issues, without retrying them', async () => {
    await seed(['OK', 'INV', 'BAD']);
    api.script('INV', { kind: 'invalid', code: '8541', message: 'price is outside the allowed range' });
    api.script('BAD', { kind: 'bad_request', message: 'marketplaceIds is required' });
    const r = await live();
    expect(r.counts).toMatchObject({ submitted: 3, accepted: 1, rejected: 2, failed: 0 });
    expect(api.calls.filter((c) => c.sku === 'INV')).toHaveLength(1);
    expect(api.calls.filter((c) => c.sku === 'BAD')).toHaveLength(1);
    const rows = await submissions();
    expect(rows.find((x) => x.sku === 'INV')).toMatchObject({
      status: 'rejected',
      submission_id: expect.stringMatching(/^sub-/),
      issues: [
        {
          code: '8541',
          message: 'price is outside the allowed range',
          severity: 'ERROR',
          attributeNames: ['purchasable_offer'],
        },
      ],
    });
    expect(rows.find((x) => x.sku === 'BAD')).toMatchObject({
      status: 'rejected',
      submission_id: null,
      issues: [{ code: 'InvalidInput', message: 'marketplaceIds is required', severity: 'ERROR' }],
    });
  });

  it('retries a 429 after its Retry-After, and a 500 until the retries run out (then failed)', async () => {
    await seed(['THR', 'DOWN']);
    api.script('THR', { kind: 'throttle', retryAfterSeconds: 3 });
    api.script('DOWN', ...Array.from({ length: 4 }, () => ({ kind: 'status' as const, status: 500 })));
    const r = await live();
    expect(r).toMatchObject({ status: 'success' });
    expect(r.counts).toMatchObject({ submitted: 2, accepted: 1, failed: 1 });
    expect(api.calls.filter((c) => c.sku === 'THR').map((c) => c.status)).toEqual([429, 200]);
    // 1 try + 3 retries (the client's policy), then given up
    expect(api.calls.filter((c) => c.sku === 'DOWN').map((c) => c.status)).toEqual([500, 500, 500, 500]);
    expect(time.sleeps).toContain(3000);
    const rows = await submissions();
    expect(rows.find((x) => x.sku === 'THR')).toMatchObject({ status: 'accepted' });
    expect(rows.find((x) => x.sku === 'DOWN')).toMatchObject({
      status: 'failed',
      issues: [{ message: expect.stringMatching(/HTTP 500/) }],
    });
    // a failed submission is not a price in force: the next run proposes it again
    expect(r.result).toMatchObject({ submission_problems: [{ sku: 'DOWN', status: 'failed' }] });
  });

  it('fails the run (retryable) when no submission reached Amazon', async () => {
    await seed(['DOWN']);
    api.script('DOWN', ...Array.from({ length: 4 }, () => ({ kind: 'status' as const, status: 503 })));
    const r = await live();
    expect(r).toMatchObject({ status: 'failed', retryable: true });
    expect(r.error).toMatch(/no submission reached Amazon/);
    expect(await submissions()).toMatchObject([{ sku: 'DOWN', status: 'failed' }]);
  });

  it('sends at most 5 requests a second (REPRICER_SUBMIT_PER_SECOND)', async () => {
    const skus = Array.from({ length: 16 }, (_, i) => `R${String(i).padStart(2, '0')}`);
    await seed(skus);
    // one call in flight, so each arrival time (virtual) is its send time; the bucket alone sets the pace
    const r = await live(1);
    expect(r.counts).toMatchObject({ submitted: 16, accepted: 16 });
    const times = api.calls.map((c) => c.at);
    expect(maxObservedRate(times, 1000)).toBeLessThanOrEqual(5);
    // one token every 200 ms from the first call: 15 × 200 ms
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(3000);
    expect(new Set(api.calls.map((c) => c.sku)).size).toBe(16);
    expect(api.tokenRequests).toHaveLength(1);
  });
});
