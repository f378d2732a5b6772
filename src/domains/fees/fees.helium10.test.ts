import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeHelium10, startFakeHelium10 } from '../../../test/fakes/helium10.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { testJobDeps } from '../../../test/helpers/deps.ts';
import { type FakeTime, fakeTime } from '../../../test/helpers/http.ts';
import { runJob } from '../../platform/jobs/index.ts';
import { Metrics } from '../../platform/metrics.ts';
import { createFeesJob } from './fees.job.ts';
import { feesRows, historyRows, seedListings, spApiEnv } from './testkit.ts';

let tdb: TestDatabase;
let h10: FakeHelium10;
let time: FakeTime;

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});
beforeEach(async () => {
  await tdb.db.pool.query('TRUNCATE listings, fees, fees_history');
  time = fakeTime();
  // long enough that all five slots fill before the first answer, even on a loaded machine
  h10 = await startFakeHelium10({ delayMs: 150 });
});
afterEach(async () => {
  await h10.close();
});

function run(env: Record<string, string> = {}, o: { dryRun?: boolean } = {}) {
  const job = createFeesJob({ clock: time.clock, sleep: time.sleep, random: () => 0.5 });
  const deps = testJobDeps(tdb, {
    env: { HELIUM10_KEY: h10.key, HELIUM10_BASE_URL: h10.url, ...env },
  });
  return runJob(job, deps, new Metrics(), { dryRun: o.dryRun });
}

describe('Helium10 fee refresh (only HELIUM10_KEY configured)', () => {
  it('asks per ASIN with the bearer key, at most 5 at once, and writes fees incl. storage', async () => {
    const asins = await seedListings(tdb.db, 23);
    const r = await run();
    expect(r.status).toBe('success');
    expect(r.counts).toMatchObject({ requested: 23, updated: 23, failed: 0, calls: 23 });
    expect(r.result).toMatchObject({ source: 'helium10' });
    expect(h10.maxInFlight).toBe(5);
    expect(h10.calls[0]).toEqual({
      asin: asins[0],
      query: { marketplace: 'DE', price: '10.10' },
      status: 200,
    });
    const [first] = await feesRows(tdb.db);
    // referral 1.515 → 1.52, storage 0.125 → 0.13 (half-up)
    expect(first).toMatchObject({
      asin: asins[0],
      referral: '1.52',
      fulfilment: '3.27',
      storage: '0.13',
      other: null,
      currency: 'EUR',
      source: 'helium10',
    });
    expect(await historyRows(tdb.db)).toHaveLength(23);
  });

  it('counts unknown ASINs, malformed answers and exhausted retries per item', async () => {
    const asins = await seedListings(tdb.db, 6);
    h10.script(asins[0]!, { kind: 'unknown' });
    h10.script(asins[1]!, { kind: 'malformed' });
    h10.script(asins[2]!, ...Array.from({ length: 4 }, () => ({ kind: 'status' as const, status: 503 })));
    h10.script(asins[3]!, { kind: 'status', status: 429, retryAfterSeconds: 3 });
    const r = await run();
    expect(r.status).toBe('success');
    expect(r.counts).toMatchObject({ requested: 6, updated: 3, failed: 3 });
    const errors = (r.result as { errors: Array<{ asin: string; code: string }> }).errors;
    expect(errors.map((e) => [e.asin, e.code])).toEqual([
      [asins[0], 'NotFound'],
      [asins[1], 'InvalidResponse'],
      [asins[2], 'HTTP 503'],
    ]);
    expect(h10.calls.filter((c) => c.asin === asins[2])).toHaveLength(4);
    expect(time.sleeps).toContain(3000);
  });

  it('a refused key fails the run clearly', async () => {
    await seedListings(tdb.db, 3);
    const refused = await run({ HELIUM10_KEY: 'wrong' });
    expect(refused.status).toBe('failed');
    expect(refused.error).toBe('Helium10 refused the API key (HTTP 401); check HELIUM10_KEY');
    expect(refused.retryable).toBe(false);
    expect(await feesRows(tdb.db)).toEqual([]);
  });

  it('is not asked when SP-API credentials are configured too', async () => {
    await seedListings(tdb.db, 3);
    // nothing listens on port 9: the SP-API login fails, and Helium10 is still not asked
    const sp = await run(spApiEnv({ url: 'http://127.0.0.1:9', lwaUrl: 'http://127.0.0.1:9/auth/o2/token' }));
    expect(sp.status).toBe('failed');
    expect(sp.error).toMatch(
      /^fees: no call succeeded: lwa: POST http:\/\/127\.0\.0\.1:9\/auth\/o2\/token failed after 4 attempts/,
    );
    expect(h10.calls).toHaveLength(0);
  });
});
