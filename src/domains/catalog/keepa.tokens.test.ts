import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nextAsin } from '../../../test/factories/index.ts';
import { keepaProduct } from '../../../test/fakes/keepa.ts';
import {
  type KeepaHarness,
  keepaHarness,
  resetKeepaTables,
  seedVendorAsins,
} from '../../../test/fakes/keepa-harness.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { parseProduct } from './keepa.parse.ts';
import { HISTORY_DAYS, MAX_FAILED_REQUESTS } from './keepa.service.ts';

// Token budget, 429s, retries, timeouts and a run that dies half-way: all on virtual time (the
// fake Keepa refills on the same clock the agent sleeps on), so minutes of waiting take no time.
let tdb: TestDatabase;
let h: KeepaHarness | undefined;
const q = async (sql: string, values: unknown[] = []) => (await tdb.db.pool.query(sql, values)).rows;
const asinsOf = (n: number) => Array.from({ length: n }, () => nextAsin());

beforeAll(async () => {
  tdb = await createTestDatabase();
});

beforeEach(async () => {
  await resetKeepaTables(tdb.db);
});

afterEach(async () => {
  await h?.close();
  h = undefined;
});

afterAll(async () => {
  await tdb.drop();
});

describe('token budget', () => {
  it('never sends a request the balance does not cover: it waits for the refill', async () => {
    // 30 tokens, 60 a minute, 3 per ASIN: 250 ASINs (750 tokens) take about 12 minutes of refills
    h = await keepaHarness(tdb, { fake: { tokens: 30, refillRate: 60 } });
    await seedVendorAsins(tdb.db, asinsOf(250));
    const run = await h.run();
    expect(run.status, run.error ?? '').toBe('success');
    expect(run.counts).toMatchObject({ requested: 250, updated: 250, skipped: 0, tokens_used: 750 });
    const sent = h.fake.productRequests();
    for (const r of sent) {
      expect(r.asins.length).toBeLessThanOrEqual(100);
      expect(r.tokensBefore).toBeGreaterThanOrEqual(r.cost);
    }
    expect(h.fake.requests.filter((r) => r.status !== 200)).toEqual([]);
    expect(run.counts.waited_ms).toBeGreaterThanOrEqual(11 * 60_000);
    expect(h.time.elapsedMs()).toBeGreaterThanOrEqual(11 * 60_000);
  });

  it('waits out a 429 with Retry-After, then asks again', async () => {
    h = await keepaHarness(tdb);
    await seedVendorAsins(tdb.db, asinsOf(3));
    h.fake.fail({ status: 429, retryAfter: 30 });
    const run = await h.run();
    expect(run.status, run.error ?? '').toBe('success');
    expect(run.counts).toMatchObject({ requested: 3, updated: 3, failed: 0, tokens_used: 9 });
    expect(h.time.sleeps).toContain(30_000);
    expect(h.fake.requests.map((r) => `${r.path} ${r.status}`)).toEqual([
      '/token 200',
      '/product 429',
      '/token 200',
      '/product 200',
    ]);
  });

  it('waits for the refill when another process spent the key (429 with a negative balance)', async () => {
    h = await keepaHarness(tdb, { fake: { tokens: 1000, refillRate: 100 } });
    const asins = asinsOf(150);
    await seedVendorAsins(tdb.db, asins);
    const first = [...asins].sort()[0]!;
    const fake = h.fake;
    // while Keepa answers the first batch, someone else on the key overspends it
    fake.setProduct(first, (now) => {
      fake.setTokens(-200);
      return keepaProduct(first, now);
    });
    const run = await h.run();
    expect(run.status, run.error ?? '').toBe('success');
    expect(run.counts).toMatchObject({ requested: 150, updated: 150 });
    const products = fake.requests.filter((r) => r.path === '/product');
    expect(products.slice(0, 2).map((r) => r.status)).toEqual([200, 429]);
    // after the 429 it waited for the refill, then sent only what the balance covered
    for (const r of products.slice(2)) {
      expect(r.status).toBe(200);
      expect(r.tokensBefore).toBeGreaterThanOrEqual(r.cost);
    }
    expect(h.time.elapsedMs()).toBeGreaterThanOrEqual(3 * 60_000);
  });

  it('stops at its time limit and leaves the rest, still stalest, to the next run', async () => {
    // 30 tokens a minute at 3 per ASIN: 10 ASINs a minute, far from 100 in a 5-minute run
    h = await keepaHarness(tdb, { fake: { tokens: 0, refillRate: 30 } });
    await seedVendorAsins(tdb.db, asinsOf(100));
    const run = await h.run({ overrides: { maxRunMs: 5 * 60_000 } });
    expect(run.status, run.error ?? '').toBe('success');
    expect(run.reason).toMatch(/^stopped early \(token budget: .*\); \d+ ASINs left for the next run$/);
    const { requested, skipped } = run.counts as Record<string, number>;
    expect(requested).toBeGreaterThanOrEqual(30);
    expect(requested).toBeLessThanOrEqual(60);
    expect(requested! + skipped!).toBe(100);
    const done = new Set(h.fake.productRequests().flatMap((r) => r.asins));
    const sentBefore = h.fake.productRequests().length;
    const next = await h.run({ overrides: { maxRunMs: 5 * 60_000 } });
    expect(next.counts.candidates).toBe(skipped);
    // the next run carries on with the ASINs the first one did not reach
    const firstOfNext = h.fake.productRequests()[sentBefore]?.asins ?? [];
    expect(firstOfNext.length).toBeGreaterThan(0);
    expect(firstOfNext.filter((a) => done.has(a))).toEqual([]);
  });
});

describe('failures', () => {
  it('retries a failing request up to the limit, then gives up', async () => {
    h = await keepaHarness(tdb);
    await seedVendorAsins(tdb.db, asinsOf(150));
    h.fake.fail({ status: 503 }, 100);
    const run = await h.run({ overrides: { http: { retries: 2 } } });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(
      /^every Keepa request failed: keepa: GET .*\/product failed after 3 attempts: HTTP 503$/,
    );
    // 3 attempts (1 + 2 retries) per request, and MAX_FAILED_REQUESTS requests before the run stops
    expect(h.fake.requests.filter((r) => r.path === '/product')).toHaveLength(3 * MAX_FAILED_REQUESTS);
    // nothing was fetched: every ASIN is still first in line
    expect(await q('SELECT count(*)::int AS n FROM keepa_fetches')).toEqual([{ n: 0 }]);
  });

  it('counts a malformed answer against its batch only', async () => {
    h = await keepaHarness(tdb);
    await seedVendorAsins(tdb.db, asinsOf(150));
    h.fake.fail({ malformed: true });
    const run = await h.run();
    expect(run.status, run.error ?? '').toBe('success');
    expect(run.counts).toMatchObject({ requested: 150, updated: 50, failed: 100, batches: 2 });
    // the failed batch was not marked fetched: it leads the next run
    const again = await h.run();
    expect(again.counts).toMatchObject({ candidates: 100, requested: 100, updated: 100 });
  });

  it('retries an answer that does not come in time', async () => {
    h = await keepaHarness(tdb);
    await seedVendorAsins(tdb.db, asinsOf(2));
    h.fake.fail({ delayMs: 10_000 });
    const run = await h.run({ overrides: { http: { timeoutMs: 1500 } } });
    expect(run.status, run.error ?? '').toBe('success');
    expect(run.counts).toMatchObject({ requested: 2, updated: 2, failed: 0 });
    expect(h.fake.requests.filter((r) => r.path === '/product')).toHaveLength(2);
  });

  it('stores every point exactly once when a run dies half-way and is retried', async () => {
    h = await keepaHarness(tdb);
    const asins = asinsOf(250);
    await seedVendorAsins(tdb.db, asins);
    // the third request meets an expired plan: the run fails after storing two batches
    h.fake.fail({}, 2);
    h.fake.fail({ status: 402 });
    const died = await h.run();
    expect(died.status).toBe('failed');
    expect(died.error).toMatch(/HTTP 402 payment required/);
    expect(await q('SELECT count(*)::int AS n FROM keepa_fetches')).toEqual([{ n: 200 }]);

    const retried = await h.run();
    expect(retried.status, retried.error ?? '').toBe('success');
    expect(retried.counts).toMatchObject({ candidates: 50, requested: 50, updated: 50 });
    const windowStartMs = h.time.nowMs() - HISTORY_DAYS * 86_400_000;
    let expected = 0;
    for (const asin of asins) {
      const p = parseProduct(keepaProduct(asin, h.time.nowMs()), { windowStartMs, minorDigits: 2 });
      if (p.kind === 'ok') expected += p.product.buybox.length;
    }
    expect(await q(`SELECT count(*)::int AS n FROM buybox_history`)).toEqual([{ n: expected }]);
    expect(await q(`SELECT count(DISTINCT asin)::int AS n FROM product_metrics`)).toEqual([{ n: 250 }]);
  });
});
