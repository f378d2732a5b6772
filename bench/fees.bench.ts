import path from 'node:path';
import { createFeesJob } from '../src/domains/fees/fees.job.ts';
import { seedListings, spApiEnv } from '../src/domains/fees/testkit.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { loadConfig } from '../src/platform/config.ts';
import { connectDb } from '../src/platform/db/pool.ts';
import { runJob } from '../src/platform/jobs/index.ts';
import { silentLogger } from '../src/platform/logger.ts';
import { Metrics } from '../src/platform/metrics.ts';
import { FsObjectStore } from '../src/platform/storage/index.ts';
import { startFakeSpApi } from '../test/fakes/spapi.ts';
import { maxObservedRate, minGapMs } from '../test/fakes/spapi-rate.ts';
import { fakeTime } from '../test/helpers/http.ts';
import { freshBenchDb, round, secondsSince } from './roi-harness.ts';

/**
 * The fees agent refreshing `skus` listings against the local SP-API fake, on a fresh embedded
 * PostgreSQL. The HTTP client runs on virtual time (test/helpers/http.ts fakeTime), so the
 * production pace of 0.5 calls/s × 20 items (10,000 SKUs = 500 calls ≈ 1,000 s) is simulated in
 * seconds of real time; the fake enforces the same usage plan and would answer 429 to any call
 * that came early. Two runs: the first day (every row new) and the next day with 10 % of prices
 * changed (10 % updated, 90 % confirmed unchanged).
 */
export async function benchFees(opts: { skus: number }) {
  const bdb = await freshBenchDb('fees');
  const db = await connectDb(bdb.url, { max: 4 });
  const time = fakeTime();
  const api = await startFakeSpApi({ now: time.nowMs, rate: { perSecond: 0.5, burst: 1 } });
  // time spent in the agent's fee writes (the one statement per flush that starts with `WITH input`)
  let writeMs = 0;
  let writes = 0;
  const query = db.pool.query.bind(db.pool) as (...a: unknown[]) => Promise<unknown>;
  (db.pool as unknown as { query: typeof query }).query = async (...a: unknown[]) => {
    const timed = typeof a[0] === 'string' && a[0].includes('INSERT INTO fees AS f');
    const t0 = performance.now();
    try {
      return await query(...a);
    } finally {
      if (timed) {
        writeMs += performance.now() - t0;
        writes++;
      }
    }
  };
  try {
    const t0 = performance.now();
    await seedListings(db, opts.skus);
    const seed_s = secondsSince(t0);
    const config = loadConfig({ DATABASE_URL: bdb.url, AWA_DATA_DIR: bdb.dataDir, ...spApiEnv(api) });
    const job = createFeesJob({ clock: time.clock, sleep: time.sleep });
    const metrics = new Metrics();
    const runDay = async (day: string) => {
      const from = api.calls.length;
      const sim0 = time.nowMs();
      writeMs = 0;
      writes = 0;
      const rssBefore = process.memoryUsage().rss;
      const w0 = performance.now();
      const r = await runJob(
        job,
        {
          config,
          db,
          store: new FsObjectStore(path.join(bdb.dataDir, 'objects')),
          clock: fixedClock(day),
          log: silentLogger,
        },
        metrics,
      );
      const wall = secondsSince(w0);
      if (r.status !== 'success') throw new Error(`fees run ${r.status}: ${r.error}`);
      const calls = api.calls.slice(from);
      const at = calls.map((c) => c.at);
      const simulated = (time.nowMs() - sim0) / 1000;
      return {
        counts: r.counts,
        calls: calls.length,
        throttled_429: calls.filter((c) => c.status === 429).length,
        simulated_s: round(simulated, 1),
        simulated_min: round(simulated / 60, 1),
        // calls after the first (the burst of 1) over the time from the first to the last
        mean_rate_per_s: round(
          (calls.length - 1) / Math.max((Math.max(...at) - Math.min(...at)) / 1000, 1e-9),
          3,
        ),
        max_rate_per_s_10s_window: round(maxObservedRate(at, 10_000), 3),
        max_rate_per_s_60s_window: round(maxObservedRate(at, 60_000), 3),
        min_gap_s: round(minGapMs(at) / 1000, 3),
        real_wall_s: wall,
        db_writes: writes,
        db_write_s: round(writeMs / 1000, 3),
        db_rows_per_s: Math.round((r.counts.requested ?? 0) / Math.max(writeMs / 1000, 1e-9)),
        rss_growth_mb: Math.round((process.memoryUsage().rss - rssBefore) / 2 ** 20),
      };
    };
    const first = await runDay('2026-11-28T04:00:00Z');
    await db.pool.query(
      `UPDATE listings SET price = price + 1 WHERE ('x' || substr(md5(sku), 1, 8))::bit(32)::int % 10 = 0`,
    );
    const next = await runDay('2026-11-29T04:00:00Z');
    const { rows } = await db.pool.query<{ fees: number; history: number }>(
      'SELECT (SELECT count(*) FROM fees)::int AS fees, (SELECT count(*) FROM fees_history)::int AS history',
    );
    return {
      skus: opts.skus,
      seed_s,
      first_day: first,
      next_day_10pct_price_changes: next,
      fees_rows: rows[0]?.fees,
      history_rows: rows[0]?.history,
      lwa_exchanges: api.tokenRequests.length,
    };
  } finally {
    await api.close();
    await db.close();
    await bdb.close();
  }
}
