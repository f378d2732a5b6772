import { text } from 'node:stream/consumers';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nextAsin } from '../../../test/factories/index.ts';
import { keepaProduct } from '../../../test/fakes/keepa.ts';
import {
  KEEPA_START,
  type KeepaHarness,
  keepaHarness,
  keepaTableCounts,
  resetKeepaTables,
  seedListings,
  seedVendorAsins,
} from '../../../test/fakes/keepa-harness.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { msToKeepaMinutes, parseProduct } from './keepa.parse.ts';
import { HISTORY_DAYS } from './keepa.service.ts';

let tdb: TestDatabase;
let h: KeepaHarness | undefined;
const q = async (sql: string, values: unknown[] = []) => (await tdb.db.pool.query(sql, values)).rows;
const km = (iso: string) => msToKeepaMinutes(Date.parse(iso));
const WINDOW_START = KEEPA_START - HISTORY_DAYS * 86_400_000;

function csv(series: Record<number, number[]>): Array<number[] | null> {
  const out: Array<number[] | null> = Array.from({ length: 36 }, () => null);
  for (const [i, s] of Object.entries(series)) out[Number(i)] = s;
  return out;
}

/** What the agent should have stored for a generated product: its windowed, priced buy box points. */
function expectedBuybox(asin: string, nowMs: number, windowStartMs = WINDOW_START) {
  const r = parseProduct(keepaProduct(asin, nowMs), { windowStartMs, minorDigits: 2 });
  if (r.kind !== 'ok') throw new Error('generated product did not parse');
  return r.product.buybox.map((b) => [new Date(b.at).toISOString(), b.price]);
}

async function storedBuybox(asin: string) {
  const rows = await q(
    `SELECT captured_at, price FROM buybox_history WHERE asin = $1 AND source = 'keepa' ORDER BY captured_at`,
    [asin],
  );
  return rows.map((r) => [r.captured_at.toISOString(), r.price]);
}

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

describe('configuration', () => {
  it('skips without KEEPA_KEY and never calls out', async () => {
    h = await keepaHarness(tdb, { configured: false });
    await seedVendorAsins(tdb.db, [nextAsin()]);
    const run = await h.run();
    expect(run).toMatchObject({ status: 'skipped', reason: 'not_configured', error: null });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('fails clearly, without retrying, when Keepa rejects the key (401)', async () => {
    h = await keepaHarness(tdb, { key: 'wrong-key-1234567' });
    await seedVendorAsins(tdb.db, [nextAsin()]);
    const run = await h.run();
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(
      /^Keepa rejected KEEPA_KEY \(HTTP 401\) \(Keepa: invalidKey: .*\): check the key/,
    );
    expect(run.error).not.toContain('wrong-key-1234567');
    expect(run.retryable).toBe(false);
    expect(h.fake.requests.map((r) => [r.path, r.status])).toEqual([['/token', 401]]);
    expect(await keepaTableCounts(tdb.db)).toMatchObject({ products: 0, keepa_fetches: 0 });
  });
});

describe('a run', () => {
  it('stores products, barcodes, buy box and metrics for vendor and listing ASINs, and exports them', async () => {
    h = await keepaHarness(tdb);
    const [a, b, c, d, fr] = [nextAsin(), nextAsin(), nextAsin(), nextAsin(), nextAsin()];
    await seedVendorAsins(tdb.db, [a, b, c]);
    await seedListings(tdb.db, [c, d]);
    await seedListings(tdb.db, [fr], 'FR'); // another marketplace's listing is not this agent's
    h.fake.setProduct(a, {
      asin: a,
      title: 'Wooden Train',
      brand: 'Acme',
      rootCategory: 100,
      categoryTree: [
        { catId: 100, name: 'Toys' },
        { catId: 101, name: 'Trains' },
      ],
      packageWeight: 1234,
      eanList: ['4006381333931'],
      upcList: ['036000291452'],
      csv: csv({
        18: [
          km('2026-11-01T00:00Z'),
          1999,
          0,
          km('2026-11-10T00:00Z'),
          1899,
          250,
          km('2026-11-20T00:00Z'),
          -1,
          -1,
        ],
        3: [km('2026-11-01T00:00Z'), 5000],
        11: [km('2026-11-10T00:00Z'), 4],
      }),
    });
    const run = await h.run();
    expect(run.status, run.error ?? '').toBe('success');
    expect(run.counts).toMatchObject({
      candidates: 4,
      requested: 4,
      updated: 4,
      failed: 0,
      skipped: 0,
      tokens_used: 12, // 1 token per product + 2 for the buy box history
      batches: 1,
      export_written: 1,
      roi_refreshed: 1,
    });
    expect(h.fake.productRequests()[0]?.query).toMatchObject({
      domain: '3',
      stats: '90',
      history: '1',
      buybox: '1',
    });

    expect(
      await q('SELECT asin, title, brand, category, weight_kg, marketplace FROM products WHERE asin = $1', [
        a,
      ]),
    ).toEqual([
      {
        asin: a,
        title: 'Wooden Train',
        brand: 'Acme',
        category: 'Toys',
        weight_kg: '1.234',
        marketplace: 'DE',
      },
    ]);
    expect(await q('SELECT kind, value FROM product_identifiers WHERE asin = $1 ORDER BY kind', [a])).toEqual(
      [
        { kind: 'EAN', value: '4006381333931' },
        { kind: 'UPC', value: '036000291452' },
      ],
    );
    // -1 (nobody holds the buy box) stores no point; shipping is part of the buy box price
    expect(await storedBuybox(a)).toEqual([
      ['2026-11-01T00:00:00.000Z', '19.99'],
      ['2026-11-10T00:00:00.000Z', '21.49'],
    ]);
    expect(await q(`SELECT DISTINCT currency, source FROM buybox_history`)).toEqual([
      { currency: 'EUR', source: 'keepa' },
    ]);
    // no FBA price or Amazon series for this product: those columns stay empty
    expect(
      await q(
        `SELECT captured_at, sales_rank, offers_new, fba_price, amazon_on_listing FROM product_metrics
         WHERE asin = $1 ORDER BY captured_at`,
        [a],
      ),
    ).toEqual([
      {
        captured_at: new Date('2026-11-01T00:00Z'),
        sales_rank: 5000,
        offers_new: null,
        fba_price: null,
        amazon_on_listing: null,
      },
      {
        captured_at: new Date('2026-11-10T00:00Z'),
        sales_rank: 5000,
        offers_new: 4,
        fba_price: null,
        amazon_on_listing: null,
      },
    ]);
    expect(await storedBuybox(b)).toEqual(expectedBuybox(b, KEEPA_START));
    expect(await q('SELECT count(*)::int AS n FROM products WHERE asin = $1', [fr])).toEqual([{ n: 0 }]);
    expect(await q(`SELECT reason FROM roi_refreshes`)).toEqual([{ reason: 'keepa' }]);

    const key = `keepa/2026/11/28/${run.run_id}.csv`;
    expect(run.result).toEqual({ export_key: key });
    const lines = (await text(await h.deps.store.get(key))).trim().split('\r\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(
      /^asin,status,title,brand,category,weight_kg,buybox_price,buybox_at,sales_rank,/,
    );
    expect(lines.find((l) => l.startsWith(a))).toBe(
      `${a},ok,Wooden Train,Acme,Toys,1.234,,2026-11-20T00:00:00.000Z,5000,4,,,4006381333931,036000291452,2,2,`,
    );
  });

  it('asks for at most 100 ASINs at a time, never-fetched first, then the stalest', async () => {
    h = await keepaHarness(tdb);
    const asins = Array.from({ length: 250 }, () => nextAsin());
    await seedVendorAsins(tdb.db, asins);
    // 50 fetched 2–3 days ago (stale), 20 an hour ago (fresh): the fresh ones are not asked for
    const stale = asins.slice(0, 50);
    const fresh = asins.slice(50, 70);
    await q(
      `INSERT INTO keepa_fetches (marketplace, asin, fetched_at, status)
       SELECT 'DE', a, $2::timestamptz - interval '48 hours' - i * interval '1 minute', 'ok'
       FROM unnest($1::text[]) WITH ORDINALITY AS u(a, i)`,
      [stale, new Date(KEEPA_START)],
    );
    await q(
      `INSERT INTO keepa_fetches (marketplace, asin, fetched_at, status)
       SELECT 'DE', a, $2::timestamptz - interval '1 hour', 'ok' FROM unnest($1::text[]) a`,
      [fresh, new Date(KEEPA_START)],
    );
    const run = await h.run();
    expect(run.counts).toMatchObject({ candidates: 230, requested: 230, updated: 230, batches: 3 });
    const sent = h.fake.productRequests();
    expect(sent.map((r) => r.asins.length)).toEqual([100, 100, 30]);
    const never = asins.slice(70).sort();
    // stale ones were inserted oldest last, so the stalest is the last of the list
    expect(sent.flatMap((r) => r.asins)).toEqual([...never, ...[...stale].reverse()]);
  });

  it('adds nothing on a rerun and only newer points on a later run', async () => {
    h = await keepaHarness(tdb);
    const asins = [nextAsin(), nextAsin(), nextAsin()];
    await seedVendorAsins(tdb.db, asins);
    const first = await h.run();
    expect(first.counts.buybox_points).toBeGreaterThan(0);
    const after = await keepaTableCounts(tdb.db);

    // nothing is stale an instant later
    const again = await h.run();
    expect(again.counts).toMatchObject({ candidates: 0, requested: 0 });
    // forced, the same answers add no point twice
    const forced = await h.run({ asins });
    expect(forced.counts).toMatchObject({
      requested: 3,
      updated: 3,
      buybox_points: 0,
      metric_points: 0,
      roi_refreshed: 0,
    });
    expect({ ...(await keepaTableCounts(tdb.db)), keepa_fetches: after.keepa_fetches }).toEqual(after);

    // three days on, the data is stale and Keepa has newer points: only those are appended
    h.time.advance(3 * 86_400_000);
    const later = await h.run();
    expect(later.counts).toMatchObject({ requested: 3, updated: 3 });
    expect(later.counts.buybox_points).toBeGreaterThan(0);
    for (const asin of asins) {
      expect(await storedBuybox(asin)).toEqual(expectedBuybox(asin, h.time.nowMs(), WINDOW_START));
    }
    const dupes = await q(
      `SELECT count(*)::int AS n FROM (SELECT asin, captured_at FROM product_metrics GROUP BY 1, 2 HAVING count(*) > 1) d`,
    );
    expect(dupes).toEqual([{ n: 0 }]);
  });

  it('reads Keepa on a dry run (spending tokens) but writes nothing', async () => {
    h = await keepaHarness(tdb);
    await seedVendorAsins(tdb.db, [nextAsin(), nextAsin()]);
    const before = await keepaTableCounts(tdb.db);
    const run = await h.run({ dryRun: true });
    expect(run).toMatchObject({ status: 'success', dry_run: true });
    expect(run.counts).toMatchObject({
      requested: 2,
      updated: 2,
      tokens_used: 6,
      export_written: 0,
      roi_refreshed: 0,
    });
    expect(run.counts.buybox_points).toBeGreaterThan(0);
    expect(run.counts.metric_points).toBeGreaterThan(0);
    expect(await keepaTableCounts(tdb.db)).toEqual(before);
    const objects = [];
    for await (const o of h.deps.store.list('keepa/')) objects.push(o);
    expect(objects).toEqual([]);
    expect(h.fake.productRequests()).toHaveLength(1);
  });
});
