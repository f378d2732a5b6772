import type { KeepaOverrides } from '../../src/domains/catalog/keepa.deps.ts';
import { createKeepaJob } from '../../src/domains/catalog/keepa.job.ts';
import { runJob } from '../../src/platform/jobs/index.ts';
import type { JobDeps, RunResult } from '../../src/platform/jobs/types.ts';
import { Metrics } from '../../src/platform/metrics.ts';
import { insertVendor, poolOf, type Target } from '../factories/index.ts';
import type { TestDatabase } from '../helpers/db.ts';
import { testJobDeps } from '../helpers/deps.ts';
import { type FakeTime, fakeTime } from '../helpers/http.ts';
import { type FakeKeepa, type FakeKeepaOptions, startFakeKeepa } from './keepa.ts';

/** "Now" of the Keepa tests: the fake Keepa and the agent share this virtual clock. */
export const KEEPA_START = Date.parse('2026-11-28T10:00:00Z');

export interface KeepaHarness {
  fake: FakeKeepa;
  time: FakeTime;
  deps: JobDeps;
  run(opts?: { dryRun?: boolean; asins?: string[]; overrides?: KeepaOverrides }): Promise<RunResult>;
  close(): Promise<void>;
}

/**
 * The keepa agent as the worker runs it (runJob: run record, metrics), against a fake Keepa, on
 * virtual time: waits for token refills and retry backoffs take no real time. `configured: false`
 * leaves KEEPA_KEY unset; `key` sends a different key than the fake accepts.
 */
export async function keepaHarness(
  tdb: TestDatabase,
  opts: { fake?: FakeKeepaOptions; env?: Record<string, string>; configured?: boolean; key?: string } = {},
): Promise<KeepaHarness> {
  const time = fakeTime(KEEPA_START);
  const fake = await startFakeKeepa({ now: time.nowMs, ...opts.fake });
  const env: Record<string, string> = { KEEPA_BASE_URL: fake.url, ...opts.env };
  if (opts.configured !== false) env.KEEPA_KEY = opts.key ?? fake.key;
  const deps = testJobDeps(tdb, { clock: time.clock, env });
  return {
    fake,
    time,
    deps,
    run: (o = {}) =>
      runJob(
        createKeepaJob({
          sleep: time.sleep,
          ...o.overrides,
          http: { baseDelayMs: 100, ...o.overrides?.http },
        }),
        deps,
        new Metrics(),
        { dryRun: o.dryRun, data: o.asins ? { asins: o.asins } : {} },
      ),
    close: () => fake.close(),
  };
}

/** A vendor offering these ASINs (one price row each). */
export async function seedVendorAsins(t: Target, asins: string[]): Promise<{ vendorId: number }> {
  const v = await insertVendor(t);
  await poolOf(t).query(
    `INSERT INTO vendor_prices (vendor_id, sku, asin, cost, currency)
     SELECT $1, 'K-' || a, a, 10, 'EUR' FROM unnest($2::text[]) a`,
    [v.id, asins],
  );
  return { vendorId: v.id };
}

export async function seedListings(t: Target, asins: string[], marketplace = 'DE'): Promise<void> {
  await poolOf(t).query(
    `INSERT INTO listings (marketplace, sku, asin) SELECT $1, 'L-' || a, a FROM unnest($2::text[]) a`,
    [marketplace, asins],
  );
}

/** Rows per table the agent writes, to prove a run wrote nothing (or the same again). */
export async function keepaTableCounts(t: Target): Promise<Record<string, number>> {
  const { rows } = await poolOf(t).query(
    `SELECT (SELECT count(*) FROM products) AS products,
            (SELECT count(*) FROM product_identifiers) AS product_identifiers,
            (SELECT count(*) FROM buybox_history) AS buybox_history,
            (SELECT count(*) FROM product_metrics) AS product_metrics,
            (SELECT count(*) FROM keepa_fetches) AS keepa_fetches,
            (SELECT count(*) FROM roi_refreshes) AS roi_refreshes`,
  );
  return rows[0];
}

export async function resetKeepaTables(t: Target): Promise<void> {
  await poolOf(t).query(
    `TRUNCATE vendors, vendor_prices, listings, products, product_identifiers, buybox_history, product_metrics,
              keepa_fetches, roi_refreshes CASCADE`,
  );
}
