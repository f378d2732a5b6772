import os from 'node:os';
import { consume } from '../src/domains/offers/consume.service.ts';
import type { Decided } from '../src/domains/offers/decide.service.ts';
import { createSubmitter } from '../src/domains/repricer/listings.client.ts';
import { roiSettingsFrom, updateRoi } from '../src/domains/roi/roi.service.ts';
import { createSqsQueue } from '../src/platform/aws/sqs.ts';
import { systemClock } from '../src/platform/clock.ts';
import { loadConfig } from '../src/platform/config.ts';
import { connectDb, type Db } from '../src/platform/db/pool.ts';
import { silentLogger } from '../src/platform/logger.ts';
import { offerNotificationBody } from '../test/fakes/offer-notifications.ts';
import { FAKE_CREDENTIALS } from '../test/fakes/spapi.ts';
import { type FakeListingsApi, startFakeListingsApi } from '../test/fakes/spapi-listings.ts';
import { maxObservedRate, minGapMs, refusedByUsagePlan } from '../test/fakes/spapi-rate.ts';
import { type FakeSqs, startFakeSqs } from '../test/fakes/sqs.ts';
import { seed } from './repricer.bench.ts';
import { type BenchDb, freshBenchDb, round, secondsSince, sleep } from './roi-harness.ts';

/**
 * `npm run bench -- offers` (BENCH_OFFERS_SKUS listings, default 20,000; BENCH_OFFERS_NOTIFICATIONS,
 * default 50): the offers consumer in live mode against a local SQS (the real AWS SDK over HTTP) and
 * a local Listings Items API, on a fresh embedded database seeded like the repricer bench.
 * 1. latency: one ANY_OFFER_CHANGED for a distinct ASIN every 300 ms; each one's time from SendMessage
 *    to its committed, logged decision (target ≤ 10 s) and to its price arriving at the Listings API;
 * 2. a burst of 20 notifications for one ASIN: how many decisions it makes (target 1);
 * 3. 100 notifications at once: the submissions' rate at the Listings API (patchListingsItem 5/s).
 */

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : Number.NaN;
};
const stats = (ms: number[]) => ({
  n: ms.length,
  p50_s: round(pct(ms, 50) / 1000, 3),
  p99_s: round(pct(ms, 99) / 1000, 3),
  max_s: round(Math.max(...ms) / 1000, 3),
});

async function waitUntil(cond: () => boolean, ms: number) {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await sleep(50);
  return cond();
}

export async function benchOffers(opts: { skus: number; notifications: number }) {
  const loadBefore = os.loadavg().map((x) => round(x));
  let bench: BenchDb | undefined;
  let db: Db | undefined;
  let sqs: FakeSqs | undefined;
  let api: FakeListingsApi | undefined;
  const stop = new AbortController();
  try {
    bench = await freshBenchDb('offers');
    const t0 = performance.now();
    await seed(bench, opts.skus);
    const seedS = secondsSince(t0);
    sqs = await startFakeSqs();
    api = await startFakeListingsApi();
    const q = sqs.createQueue('awa-offers');
    db = await connectDb(bench.url, { max: 6 });
    const config = loadConfig({
      DATABASE_URL: bench.url,
      AWA_DATA_DIR: bench.dataDir,
      VAT_RATE: '0.19',
      REPRICER_MODE: 'live',
      SP_API_CLIENT_ID: FAKE_CREDENTIALS.clientId,
      SP_API_CLIENT_SECRET: FAKE_CREDENTIALS.clientSecret,
      SP_API_REFRESH_TOKEN: FAKE_CREDENTIALS.refreshToken,
      SP_API_LWA_URL: api.lwaUrl,
      SP_API_BASE_URL: api.url,
      SP_API_SELLER_ID: 'A2EXAMPLE1SELLER',
      OFFERS_SQS_QUEUE_URL: q.url,
      OFFERS_SQS_ENDPOINT: sqs.url,
      OFFERS_SQS_REGION: 'eu-west-1',
      OFFERS_SQS_ACCESS_KEY_ID: 'AKIABENCH',
      OFFERS_SQS_SECRET_ACCESS_KEY: 'bench-secret',
    });
    await updateRoi(db, { settings: roiSettingsFrom(config), reason: 'bench' });
    // listing prices by ASIN: each notification puts the buy box 0.30 under ours, so the decision changes it
    const { rows } = await bench.pool.query<{ asin: string; sku: string; price: string }>(
      `SELECT asin, sku, price::text FROM listings ORDER BY sku LIMIT $1`,
      [opts.notifications + 121],
    );
    const notify = (asin: string, price: string, at = new Date()) =>
      sqs!.send('awa-offers', offerNotificationBody({ asin, at, buybox: Number(price) - 0.3 }));

    const sentAt = new Map<string, number>();
    const decidedAt = new Map<string, number>();
    const decisions: Decided[] = [];
    const submitter = createSubmitter(config, { log: silentLogger });
    const consuming = consume(
      {
        db,
        config,
        clock: systemClock,
        log: silentLogger,
        submitter: () => submitter,
        queue: createSqsQueue(config),
        worker: 'bench',
      },
      {
        mode: 'live',
        until: Date.now() + 15 * 60_000,
        signal: stop.signal,
        onDecided: (d) => {
          decisions.push(d);
          for (const a of d.asins) if (!decidedAt.has(a)) decidedAt.set(a, Date.now());
        },
      },
    );

    // 1. latency
    const single = rows.slice(0, opts.notifications);
    for (const r of single) {
      sentAt.set(r.asin, Date.now());
      notify(r.asin, r.price);
      await sleep(300);
    }
    await waitUntil(() => single.every((r) => decidedAt.has(r.asin)), 60_000);
    const decisionMs = single.flatMap((r) =>
      decidedAt.has(r.asin) ? [decidedAt.get(r.asin)! - sentAt.get(r.asin)!] : [],
    );
    const arrival = new Map(api.calls.map((c) => [c.sku, c.at]));
    const submitMs = single.flatMap((r) =>
      arrival.has(r.sku) ? [arrival.get(r.sku)! - sentAt.get(r.asin)!] : [],
    );

    // 2. a burst for one ASIN
    const burst = rows[opts.notifications]!;
    const before = decisions.length;
    for (let i = 0; i < 20; i++) notify(burst.asin, burst.price, new Date(Date.now() - 20_000 + i * 100));
    await waitUntil(() => decidedAt.has(burst.asin), 30_000);
    await sleep(config.OFFERS_DEBOUNCE_MS * 2 + 1000);
    const burstDecisions = decisions.slice(before).filter((d) => d.asins.includes(burst.asin)).length;

    // 3. 100 at once: the submission rate
    const many = rows.slice(opts.notifications + 1, opts.notifications + 121).slice(0, 100);
    const callsBefore = api.calls.length;
    const t3 = Date.now();
    for (const r of many) notify(r.asin, r.price);
    const manySkus = new Set(many.map((r) => r.sku));
    await waitUntil(() => api!.calls.filter((c) => manySkus.has(c.sku)).length >= many.length, 120_000);
    const bulk = api.calls.slice(callsBefore).map((c) => c.at);
    const bulkS = round((Math.max(...bulk) - t3) / 1000, 2);

    stop.abort();
    const counts = await consuming;
    const { rows: log } = await bench.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM repricer_log',
    );
    return {
      listings: opts.skus,
      seed_s: seedS,
      debounce_ms: config.OFFERS_DEBOUNCE_MS,
      notification_to_logged_decision: stats(decisionMs),
      notification_to_price_at_amazon: stats(submitMs),
      burst_of_20_one_asin_decisions: burstDecisions,
      bulk_100: {
        submissions: bulk.length,
        seconds_to_last: bulkS,
        max_per_s_1s_window: maxObservedRate(bulk, 1000),
        max_per_s_5s_window: maxObservedRate(bulk, 5000),
        min_gap_ms: minGapMs(bulk),
        // patchListingsItem's usage plan: 5 requests/s, burst 10
        refused_by_usage_plan_5_per_s_burst_10: refusedByUsagePlan(bulk, 5, 10),
        refused_by_bucket_5_per_s_burst_1: refusedByUsagePlan(bulk, 5, 1),
      },
      consumer: counts,
      repricer_log_rows: log[0]!.n,
      target: 'notification → logged decision ≤ 10 s; live submissions ≤ 5/s',
      load_before: loadBefore,
      load_after: os.loadavg().map((x) => round(x)),
    };
  } finally {
    stop.abort();
    await db?.close();
    await api?.close();
    await sqs?.close();
    await bench?.close();
  }
}
