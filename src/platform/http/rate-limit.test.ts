import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fakeTime, startServer, type TestServer } from '../../../test/helpers/http.ts';
import { startRedis, type TestRedis } from '../../../test/helpers/redis.ts';
import { REDIS_SERVER, skipWithout } from '../../../test/helpers/tools.ts';
import { connectRedis } from '../redis.ts';
import { createHttpClient } from './client.ts';
import { MemoryTokenBucket, RedisTokenBucket, Semaphore } from './rate-limit.ts';

let servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/** A server that records when each request arrived, by the given clock. */
async function recordingServer(now: () => number, delayMs = 0) {
  const arrivals: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const srv = await startServer((_req, res) => {
    arrivals.push(now());
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    setTimeout(() => {
      inFlight--;
      res.end('ok');
    }, delayMs);
  });
  servers.push(srv);
  return { srv, arrivals, maxInFlight: () => maxInFlight };
}

/** Token-bucket guarantee: by k requests, at least (k - burst) / rate seconds have passed since t0. */
function expectUnderRate(arrivals: number[], t0: number, rate: number, burst: number, slackMs = 0) {
  const sorted = [...arrivals].sort((a, b) => a - b);
  sorted.forEach((at, i) => {
    const earliest = t0 + (Math.max(0, i + 1 - burst) / rate) * 1000;
    expect(at, `request ${i + 1} arrived too early`).toBeGreaterThanOrEqual(earliest - slackMs);
  });
}

describe('MemoryTokenBucket', () => {
  it('spends the burst, then says how long to wait', async () => {
    const time = fakeTime();
    const bucket = new MemoryTokenBucket({ api: 't', ratePerSecond: 2, burst: 3 }, time.clock);
    expect([await bucket.take(), await bucket.take(), await bucket.take()]).toEqual([0, 0, 0]);
    expect(await bucket.take()).toBe(500);
    time.advance(250);
    expect(await bucket.take()).toBe(250);
    time.advance(250);
    expect(await bucket.take()).toBe(0);
    await expect(bucket.acquire({ cost: 4 })).rejects.toThrow(/costing 4 tokens can never fit a burst of 3/);
  });
});

describe('client rate limit', () => {
  it('N sequential requests at rate r take (N - burst) / r of fake time', async () => {
    const time = fakeTime();
    const { arrivals } = await recordingServer(time.nowMs);
    const server = servers[0]!;
    const http = createHttpClient({
      api: 'keepa',
      baseUrl: server.url,
      ratePerSecond: 5,
      burst: 2,
      clock: time.clock,
      sleep: time.sleep,
    });
    const t0 = time.nowMs();
    for (let i = 0; i < 10; i++) await http.request({ path: '/p' });
    expect(time.elapsedMs()).toBeGreaterThanOrEqual(((10 - 2) / 5) * 1000);
    expect(time.elapsedMs()).toBeLessThanOrEqual(((10 - 2) / 5) * 1000 + 10);
    expectUnderRate(arrivals, t0, 5, 2);
  });

  it('holds concurrent callers to the rate', async () => {
    const time = fakeTime();
    const { srv, arrivals } = await recordingServer(time.nowMs);
    const http = createHttpClient({
      api: 'keepa',
      baseUrl: srv.url,
      ratePerSecond: 4,
      burst: 3,
      concurrency: 4,
      clock: time.clock,
      sleep: time.sleep,
    });
    const t0 = time.nowMs();
    await Promise.all(Array.from({ length: 12 }, () => http.request({ path: '/p' })));
    expect(arrivals).toHaveLength(12);
    expect(time.elapsedMs()).toBeGreaterThanOrEqual(((12 - 3) / 4) * 1000);
    expectUnderRate(arrivals, t0, 4, 3);
  });

  it('never has more than `concurrency` requests in flight', async () => {
    const { srv, maxInFlight } = await recordingServer(Date.now, 100);
    const http = createHttpClient({ api: 'h10', baseUrl: srv.url, concurrency: 2 });
    await Promise.all(Array.from({ length: 8 }, () => http.request({ path: '/p' })));
    expect(srv.hits).toBe(8);
    expect(maxInFlight()).toBe(2);
  });
});

describe('Semaphore', () => {
  it('hands slots over in order and drops aborted waiters', async () => {
    const sem = new Semaphore(1);
    const release = await sem.acquire();
    const ac = new AbortController();
    const aborted = sem.acquire(ac.signal);
    const next = sem.acquire();
    ac.abort(new Error('gave up'));
    await expect(aborted).rejects.toThrow('gave up');
    release();
    release(); // twice is harmless
    const r2 = await next;
    expect(sem.inFlight).toBe(1);
    r2();
    expect(sem.inFlight).toBe(0);
  });
});

const noRedis = skipWithout(REDIS_SERVER, 'RedisTokenBucket in src/platform/http/rate-limit.test.ts');

describe.skipIf(noRedis)('RedisTokenBucket', () => {
  let redis: TestRedis;
  const conns: Redis[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const c of conns) c.disconnect();
    await redis?.stop();
  });
  const connect = async () => {
    const c = await connectRedis(redis.url);
    conns.push(c);
    return c;
  };

  it('keeps two clients sharing Redis under one rate', async () => {
    const api = `keepa-${randomUUID()}`;
    const { srv, arrivals } = await recordingServer(Date.now);
    const make = async () =>
      createHttpClient({
        api,
        baseUrl: srv.url,
        ratePerSecond: 20,
        burst: 2,
        concurrency: 4,
        redis: await connect(), // one connection each, as two worker processes would have
      });
    const [a, b] = [await make(), await make()];
    const t0 = Date.now();
    const burst = (c: typeof a) => Array.from({ length: 8 }, () => c.request({ path: '/p' }));
    await Promise.all([...burst(a), ...burst(b)]);
    expect(arrivals).toHaveLength(16);
    // 16 requests, 2 at once, then 20/s: at least 700 ms, whatever the machine's speed
    expect(Date.now() - t0).toBeGreaterThanOrEqual(700 - 5);
    expectUnderRate(arrivals, t0, 20, 2, 5);
    const pttl = await conns[0]!.pttl(`awa:ratelimit:${api}`);
    expect(pttl).toBeGreaterThan(0);
  });

  it('tells the wait time once the burst is spent', async () => {
    const bucket = new RedisTokenBucket(await connect(), {
      api: `t-${randomUUID()}`,
      ratePerSecond: 2,
      burst: 2,
    });
    expect(await bucket.take()).toBe(0);
    expect(await bucket.take()).toBe(0);
    const wait = await bucket.take();
    expect(wait).toBeGreaterThan(400);
    expect(wait).toBeLessThanOrEqual(500);
  });

  it('limits this process alone while Redis is unreachable', async () => {
    const dead = new Redis(redis.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    dead.on('error', () => {});
    conns.push(dead);
    const errors: unknown[] = [];
    const bucket = new RedisTokenBucket(dead, {
      api: 'down',
      ratePerSecond: 1,
      burst: 1,
      onError: (e) => errors.push(e),
    });
    expect(await bucket.take()).toBe(0);
    expect(await bucket.take()).toBeGreaterThan(0);
    expect(errors).toHaveLength(2);
  });
});
