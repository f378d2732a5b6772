import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSpApi, startFakeSpApi } from '../../../test/fakes/spapi.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { testJobDeps } from '../../../test/helpers/deps.ts';
import { startRedis, type TestRedis } from '../../../test/helpers/redis.ts';
import { REDIS_SERVER, skipWithout } from '../../../test/helpers/tools.ts';
import { runJob } from '../../platform/jobs/index.ts';
import { Metrics } from '../../platform/metrics.ts';
import { connectRedis } from '../../platform/redis.ts';
import { createFeesJob } from './fees.job.ts';
import { feesRows, seedListings, spApiEnv } from './testkit.ts';

// Two workers (each with its own job instance, HTTP client and Redis connection, as two processes
// would have) refreshing fees at once share one token bucket in Redis. Redis keeps the bucket's
// time itself, so this runs in real time at a scaled rate: 10 calls/s instead of 0.5.
const RATE = 10;

let tdb: TestDatabase;
let redis: TestRedis;
let api: FakeSpApi;
const conns: Redis[] = [];

beforeAll(async () => {
  [tdb, redis, api] = await Promise.all([createTestDatabase(), startRedis(), startFakeSpApi()]);
});
afterAll(async () => {
  for (const c of conns) c.disconnect();
  await Promise.all([api?.close(), redis?.stop(), tdb?.drop()]);
});

async function worker(asins: string[], shared: boolean) {
  const conn = shared ? await connectRedis(redis.url) : undefined;
  if (conn) conns.push(conn);
  const deps = { ...testJobDeps(tdb, { env: spApiEnv(api) }), redis: conn };
  const job = createFeesJob({ spApiRatePerSecond: RATE, spApiBurst: 1 });
  return runJob(job, deps, new Metrics(), { data: { asins } });
}

/** Token bucket guarantee: the k-th call (sorted) arrives no earlier than t0 + (k - burst) / rate. */
function underRate(arrivals: number[], t0: number): boolean {
  return [...arrivals].sort((a, b) => a - b).every((at, i) => at >= t0 + (Math.max(0, i) / RATE) * 1000 - 2);
}

// skipped as a whole, the file's hooks do not run either (no Redis is started)
const noRedis = skipWithout(REDIS_SERVER, 'src/domains/fees/fees.redis.test.ts');

describe.skipIf(noRedis)('two workers sharing Redis', () => {
  it('stay under the rate together (and would not without Redis)', async () => {
    const asins = await seedListings(tdb.db, 200);
    const [a, b] = [asins.slice(0, 100), asins.slice(100)];

    let t0 = Date.now();
    let from = api.calls.length;
    const runs = await Promise.all([worker(a, true), worker(b, true)]);
    expect(runs.map((r) => r.status)).toEqual(['success', 'success']);
    expect(runs.map((r) => r.counts.calls)).toEqual([5, 5]);
    let arrivals = api.calls.slice(from).map((c) => c.at);
    expect(arrivals).toHaveLength(10);
    expect(underRate(arrivals, t0)).toBe(true);
    expect(Date.now() - t0).toBeGreaterThanOrEqual((9 / RATE) * 1000 - 2);
    expect(await feesRows(tdb.db)).toHaveLength(200);

    // the same two workers limiting only themselves send twice the rate
    t0 = Date.now();
    from = api.calls.length;
    await Promise.all([worker(a, false), worker(b, false)]);
    arrivals = api.calls.slice(from).map((c) => c.at);
    expect(arrivals).toHaveLength(10);
    expect(underRate(arrivals, t0)).toBe(false);
  });
});
