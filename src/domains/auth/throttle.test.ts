import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../../test/helpers/redis.ts';
import { REDIS_SERVER, skipWithout } from '../../../test/helpers/tools.ts';
import { connectRedis } from '../../platform/redis.ts';
import { LOGIN_LIMITS, LoginThrottle } from './throttle.ts';

// The Postgres store is exercised through login() in sessions.service.test.ts; this is the Redis one.
const noRedis = skipWithout(REDIS_SERVER, 'src/domains/auth/throttle.test.ts');
let redis: TestRedis;

beforeAll(async () => {
  if (!noRedis) redis = await startRedis();
});

afterAll(async () => {
  await redis?.stop();
});

describe.skipIf(noRedis)('login throttle in Redis (REDIS_URL)', () => {
  it('replicas share the counters; keys hold a hash of the e-mail, not the e-mail', async () => {
    const [ra, rb] = await Promise.all([connectRedis(redis.url), connectRedis(redis.url)]);
    try {
      const a = new LoginThrottle({ redis: ra });
      const b = new LoginThrottle({ redis: rb });
      for (let i = 0; i < LOGIN_LIMITS.emailIp.points; i++) {
        await (i % 2 ? a : b).failed('Zoe@Example.com', '10.8.0.1');
      }
      const wait = await b.retryAfter('zoe@example.com', '10.8.0.1');
      expect(wait).toBeGreaterThan(14 * 60);
      expect(wait).toBeLessThanOrEqual(15 * 60);
      expect(await a.retryAfter('zoe@example.com', '10.8.0.2')).toBe(0);
      const keys = await ra.keys('*');
      expect(keys.some((k) => k.startsWith('login_ei:') && k.endsWith(':10.8.0.1'))).toBe(true);
      expect(keys.join(' ')).not.toMatch(/zoe/i);
      await a.succeeded('zoe@example.com', '10.8.0.1');
      expect(await b.retryAfter('zoe@example.com', '10.8.0.1')).toBe(0);
    } finally {
      ra.disconnect();
      rb.disconnect();
    }
  });

  it('keeps counting in memory while Redis is away', async () => {
    const own = await startRedis();
    const r = await connectRedis(own.url);
    try {
      const t = new LoginThrottle({ redis: r });
      await own.stop();
      for (let i = 0; i < LOGIN_LIMITS.emailIp.points; i++) await t.failed('amy@example.com', '10.8.1.1');
      expect(await t.retryAfter('amy@example.com', '10.8.1.1')).toBeGreaterThan(0);
      expect(await t.retryAfter('amy@example.com', '10.8.1.2')).toBe(0);
    } finally {
      r.disconnect();
    }
  });
});
