import type { Redis } from 'ioredis';
import { AppError, messageOf } from './errors.ts';

/**
 * Connects and proves the connection with PING; a bad REDIS_URL fails start-up clearly instead of
 * every request later. Commands fail fast (no endless offline queue) so a Redis outage degrades
 * /health instead of hanging requests.
 */
export async function connectRedis(url: string, timeoutMs = 5000): Promise<Redis> {
  const { Redis } = await import('ioredis'); // loaded only when REDIS_URL is set
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  redis.on('error', () => {}); // surfaced through /health and failing commands, not as crashes
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    const u = new URL(url);
    throw new AppError(
      'unavailable',
      `cannot reach Redis at ${u.hostname}:${u.port || 6379}: ${messageOf(err)}`,
    );
  }
  return redis;
}

export async function redisHealth(redis: Redis): Promise<'ok' | 'down'> {
  try {
    const pong = await Promise.race([
      redis.ping(),
      new Promise<never>((_, rej) => setTimeout(() => rej(new Error('timeout')), 1000)),
    ]);
    return pong === 'PONG' ? 'ok' : 'down';
  } catch {
    return 'down';
  }
}
