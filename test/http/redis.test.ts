import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCache } from '../../src/platform/cache.ts';
import { connectRedis } from '../../src/platform/redis.ts';
import { createTestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { freePort } from '../helpers/net.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { REDIS_SERVER, skipWithout } from '../helpers/tools.ts';

let redis: TestRedis;
let tdb: TestDatabase;

beforeAll(async () => {
  redis = await startRedis();
  tdb = await createTestDatabase();
});

afterAll(async () => {
  await redis?.stop();
  await tdb?.drop();
});

// skipped as a whole, the file's hooks do not run either (no Redis is started)
const noRedis = skipWithout(REDIS_SERVER, 'test/http/redis.test.ts');

describe.skipIf(noRedis)('Redis (real redis-server)', () => {
  it('cache round-trips values with a TTL', async () => {
    const r = await connectRedis(redis.url);
    try {
      const prefix = `t${Date.now()}:`;
      const c = new RedisCache(r, prefix);
      await c.set('k', { a: 1 }, 60);
      expect(await c.get('k')).toEqual({ a: 1 });
      const ttl = await r.ttl(`${prefix}k`);
      expect(ttl).toBeGreaterThan(50);
      expect(ttl).toBeLessThanOrEqual(60);
      await c.del('k');
      expect(await c.get('k')).toBeUndefined();
    } finally {
      r.disconnect();
    }
  });

  it('a REDIS_URL nobody answers fails fast and clearly', async () => {
    const port = await freePort();
    const t0 = Date.now();
    await expect(connectRedis(`redis://127.0.0.1:${port}`, 1000)).rejects.toThrow(
      new RegExp(`cannot reach Redis at 127.0.0.1:${port}`),
    );
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('two API replicas share one rate limit through Redis', async () => {
    const env = { RATE_LIMIT_PER_MINUTE_VIEWER: '5' };
    const a = await createTestApp({ env, redisUrl: redis.url, tdb });
    const b = await createTestApp({ env, redisUrl: redis.url, tdb });
    try {
      const authorization = await a.bearer('viewer', 'shared-limit');
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const app = i % 2 === 0 ? a.app : b.app;
        const res = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization } });
        statuses.push(res.statusCode);
        if (res.statusCode === 429) {
          expect(res.json().error.code).toBe('rate_limited');
          expect(res.headers['retry-after']).toBeDefined();
        }
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
      // another token has its own budget
      const other = await a.bearer('viewer', 'other-limit');
      const ok = await b.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: other } });
      expect(ok.statusCode).toBe(200);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('revoking a token takes effect on every replica through the shared cache', async () => {
    const a = await createTestApp({ redisUrl: redis.url, tdb });
    try {
      const authorization = await a.bearer('viewer', 'soon-revoked');
      expect(
        (await a.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization } })).statusCode,
      ).toBe(200);
      const { revokeToken } = await import('../../src/domains/auth/auth.service.ts');
      await revokeToken(tdb.db, a.deps.cache, 'soon-revoked');
      expect(
        (await a.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization } })).statusCode,
      ).toBe(401);
    } finally {
      await a.close();
    }
  });

  it('/health reports redis, and degraded (still 200) when Redis goes away', async () => {
    const own = await startRedis();
    const a = await createTestApp({ redisUrl: own.url, tdb });
    try {
      const up = await a.app.inject({ method: 'GET', url: '/health' });
      expect(up.json()).toEqual({ status: 'ok', checks: { db: 'ok', storage: 'ok', redis: 'ok' } });
      await own.stop();
      const down = await a.app.inject({ method: 'GET', url: '/health' });
      expect(down.statusCode).toBe(200);
      expect(down.json()).toEqual({ status: 'degraded', checks: { db: 'ok', storage: 'ok', redis: 'down' } });
      // the API keeps serving: the rate limiter skips a broken store instead of failing requests
      const authorization = await a.bearer('viewer');
      const me = await a.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization } });
      expect(me.statusCode).toBe(200);
    } finally {
      await a.close();
    }
  });
});
