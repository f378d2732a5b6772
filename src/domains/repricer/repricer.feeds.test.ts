import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedRepricerListing } from '../../../test/factories/index.ts';
import { type FakeListingsApi, startFakeListingsApi } from '../../../test/fakes/spapi-listings.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { testJobDeps } from '../../../test/helpers/deps.ts';
import { type FakeTime, fakeTime } from '../../../test/helpers/http.ts';
import { loadConfig } from '../../platform/config.ts';
import { type JobDefinition, runJob } from '../../platform/jobs/index.ts';
import { Metrics } from '../../platform/metrics.ts';
import { spApiEnv } from '../fees/testkit.ts';
import { roiSettingsFrom, updateRoi } from '../roi/roi.service.ts';
import { FEED_POLL_LIMIT_MS, FEED_THRESHOLD } from './feeds.submit.ts';
import { createRepricerJob } from './repricer.job.ts';

// Live mode with more than FEED_THRESHOLD (500) changes: one JSON_LISTINGS_FEED instead of patches.
// Every seeded listing goes 20.00 → 19.49 (beat the 19.50 buy box; see repricer.run.test.ts).
const AT = '2026-11-28T10:00:00Z';
const SELLER = 'A2EXAMPLE1SELLER';
const N = FEED_THRESHOLD + 1;
const SKUS = Array.from({ length: N }, (_, i) => `F${String(i).padStart(3, '0')}`);

let tdb: TestDatabase;
let api: FakeListingsApi;
let time: FakeTime;
let job: JobDefinition;

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
  // one definition per test: its SP-API clients (token, buckets) carry over between that test's runs
  job = createRepricerJob({ clock: time.clock, sleep: time.sleep, random: () => 0.5 });
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

const live = () =>
  runJob(
    job,
    testJobDeps(tdb, { env: spApiEnv(api, { SP_API_SELLER_ID: SELLER }), clock: AT }),
    new Metrics(),
    { data: { mode: 'live' } },
  );

const rows = async () =>
  (
    await tdb.db.pool.query(
      `SELECT sku, submission_status AS status, submission_id, feed_message_id, issues
       FROM price_updates_log ORDER BY sku, id`,
    )
  ).rows;
const byStatus = async () =>
  Object.fromEntries(
    (
      await tdb.db.pool.query(
        'SELECT submission_status AS s, count(*)::int AS n FROM price_updates_log GROUP BY 1 ORDER BY 1',
      )
    ).rows.map((r) => [r.s, r.n]),
  );
const feedCalls = (method: string, suffix: string) =>
  api.feeds.calls.filter((c) => c.method === method && c.path.endsWith(suffix));

describe('live mode with more than 500 changes', () => {
  it('sends one JSON_LISTINGS_FEED (no patch calls) and records each message accepted or rejected', async () => {
    await seed(SKUS);
    api.feeds.script({
      createThrottles: 1,
      retryAfterSeconds: 2,
      pollsUntilEnd: 2,
      gzip: true,
      issues: {
        F007: [{ code: '8541', message: 'price is outside the allowed range', severity: 'ERROR' }],
        F010: [{ code: '99300', message: 'minor data issue', severity: 'WARNING' }],
      },
    });
    const r = await live();
    expect(r).toMatchObject({ status: 'success' });
    expect(r.counts).toMatchObject({
      changed: N,
      submitted: N,
      accepted: N - 1,
      rejected: 1,
      failed: 0,
      pending: 0,
    });
    expect(api.calls).toHaveLength(0);
    expect(api.feeds.feeds.size).toBe(1);
    const [feed] = [...api.feeds.feeds.values()];
    expect(feed).toMatchObject({
      feedType: 'JSON_LISTINGS_FEED',
      marketplaceIds: ['A1PA6795UKMFR9'],
      status: 'DONE',
    });
    expect(r.result).toMatchObject({
      feed_id: feed!.feedId,
      submission_problems: [{ sku: 'F007', status: 'rejected' }],
    });
    // createFeed: 429 then, after the 2 s Retry-After, 202; polls at 15 s, 30 s, 60 s (third is DONE)
    expect(feedCalls('POST', '/feeds').map((c) => c.status)).toEqual([429, 202]);
    expect(time.sleeps).toContain(2000);
    expect(feedCalls('GET', `/feeds/${feed!.feedId}`)).toHaveLength(3);
    expect(time.sleeps.filter((s) => s >= 15_000)).toEqual([15_000, 30_000, 60_000]);
    // the pre-signed upload goes without the LWA token; the SP-API calls carry it
    const upload = api.feeds.upload(feed!.feedId);
    expect(upload).toMatchObject({ contentType: 'application/json; charset=UTF-8', token: undefined });
    expect(feedCalls('POST', '/documents')[0]!.token).toBe('Atza|listings-1');
    const body = api.feeds.uploaded(feed!.feedId);
    expect(body.header).toEqual({ sellerId: SELLER, version: '2.0', issueLocale: 'en_US' });
    expect(body.messages).toHaveLength(N);
    expect(body.messages[7]).toEqual({
      messageId: 8,
      sku: 'F007',
      operationType: 'PATCH',
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
    const all = await rows();
    expect(all.every((x) => x.submission_id === feed!.feedId)).toBe(true);
    expect(all.find((x) => x.sku === 'F007')).toEqual({
      sku: 'F007',
      status: 'rejected',
      submission_id: feed!.feedId,
      feed_message_id: 8,
      issues: [
        {
          messageId: 8,
          code: '8541',
          message: 'price is outside the allowed range',
          severity: 'ERROR',
          attributeNames: [],
        },
      ],
    });
    expect(all.find((x) => x.sku === 'F010')).toMatchObject({
      status: 'accepted',
      feed_message_id: 11,
      issues: [{ code: '99300', severity: 'WARNING' }],
    });
    expect(all.find((x) => x.sku === 'F500')).toMatchObject({
      status: 'accepted',
      feed_message_id: 501,
      issues: [],
    });
  });

  it('leaves rows pending when the feed outlasts the polling limit; later runs resolve it without resubmitting', async () => {
    await seed(SKUS);
    api.feeds.script({
      hold: true,
      issues: { F001: [{ code: '1', message: 'bad price', severity: 'ERROR' }] },
    });
    const first = await live();
    expect(first).toMatchObject({ status: 'success' });
    expect(first.counts).toMatchObject({ submitted: N, pending: N, accepted: 0, failed: 0 });
    expect(await byStatus()).toEqual({ pending: N });
    // waits 15 + 30 + 60 × 4 + 15 (cut to the limit) = 300 s, one getFeed after each wait
    const waits = time.sleeps.filter((s) => s >= 15_000);
    expect(waits).toEqual([15_000, 30_000, 60_000, 60_000, 60_000, 60_000, 15_000]);
    expect(waits.reduce((a, b) => a + b, 0)).toBe(FEED_POLL_LIMIT_MS);
    const feedId = [...api.feeds.feeds.keys()][0]!;
    expect(api.feeds.feeds.get(feedId)!.polls).toBe(7);

    // still processing at the next run: its SKUs are not sent again (no new feed, no patches)
    const second = await live();
    expect(second.counts).toMatchObject({ earlier_feeds_pending: 1, awaiting_feed: N, price_updates: 0 });
    expect(api.feeds.feeds.size).toBe(1);
    expect(api.calls).toHaveLength(0);
    expect(await byStatus()).toEqual({ pending: N });

    api.feeds.finish(feedId, 'DONE');
    const third = await live();
    expect(third.counts).toMatchObject({
      earlier_feeds_resolved: 1,
      earlier_accepted: N - 1,
      earlier_rejected: 1,
      // the accepted 19.49 is now in force: nothing left to change but the rejected F001
      changed: 1,
      price_updates: 1,
      submitted: 1,
      accepted: 1,
    });
    expect(api.feeds.feeds.size).toBe(1);
    expect(api.calls.map((c) => c.sku)).toEqual(['F001']);
    expect(await byStatus()).toEqual({ accepted: N, rejected: 1 });
    expect(third.result).toMatchObject({ submission_problems: [{ sku: 'F001', status: 'rejected' }] });
  });

  it('records every row failed when the feed ends FATAL', async () => {
    await seed(SKUS);
    api.feeds.script({ end: 'FATAL' });
    const r = await live();
    // nothing was applied: the run fails (retryable) like a run whose patches all failed
    expect(r).toMatchObject({ status: 'failed', retryable: true });
    expect(r.error).toMatch(/no submission reached Amazon/);
    expect(await byStatus()).toEqual({ failed: N });
    const feedId = [...api.feeds.feeds.keys()][0]!;
    expect((await rows())[0]).toMatchObject({
      submission_id: feedId,
      issues: [{ message: `feed ${feedId} ended FATAL` }],
    });
  });

  it('still uses patchListingsItem for exactly 500 changes', async () => {
    await seed(SKUS.slice(0, FEED_THRESHOLD));
    const r = await live();
    expect(r.counts).toMatchObject({ submitted: 500, accepted: 500 });
    expect(api.calls).toHaveLength(500);
    expect(api.feeds.calls).toHaveLength(0);
  });
});
