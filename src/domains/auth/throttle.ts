import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { Logger } from '../../platform/logger.ts';

export interface ThrottleLimit {
  /** Failures allowed within `seconds`… */
  points: number;
  seconds: number;
  /** …after which the key is refused for this long. */
  blockSeconds: number;
}

/**
 * Failed sign-ins allowed before sign-in is refused (OWASP Authentication Cheat Sheet: throttle per
 * account and per source). Per e-mail *and* IP: someone who mistypes gets 5 tries per 15 minutes,
 * a guesser at one account from one address no more; the IP is part of the key, so nobody can lock
 * a user out by failing from elsewhere. Per IP over all e-mails: 30 an hour stops one address
 * spraying passwords over many accounts, yet leaves room for an office behind one NAT address.
 * A successful sign-in clears its e-mail+IP counter (not the IP's).
 */
export const LOGIN_LIMITS: { emailIp: ThrottleLimit; ip: ThrottleLimit } = {
  emailIp: { points: 5, seconds: 15 * 60, blockSeconds: 15 * 60 },
  ip: { points: 30, seconds: 60 * 60, blockSeconds: 60 * 60 },
};

export interface ThrottleStore {
  redis?: Redis;
  pool?: pg.Pool;
}

/**
 * Counts failed sign-ins in Redis (REDIS_URL: shared by every replica) or else in Postgres (the
 * `login_throttle` table of migration 0015); an in-memory limiter stands in when the store fails,
 * so an outage neither locks everyone out nor lifts the limit.
 */
export class LoginThrottle {
  private readonly emailIp: RateLimiterAbstract;
  private readonly ip: RateLimiterAbstract;

  constructor(
    store: ThrottleStore,
    private readonly limits = LOGIN_LIMITS,
    private readonly log?: Logger,
  ) {
    this.emailIp = limiter(store, 'login_ei', limits.emailIp);
    this.ip = limiter(store, 'login_ip', limits.ip);
  }

  /** Seconds until this e-mail may try again from this IP; 0 when it may try now. */
  async retryAfter(email: string, ip: string): Promise<number> {
    const [a, b] = await Promise.all([
      this.get(this.emailIp, emailIpKey(email, ip), this.limits.emailIp),
      this.get(this.ip, ip, this.limits.ip),
    ]);
    return Math.max(a, b);
  }

  async failed(email: string, ip: string): Promise<void> {
    await Promise.all([
      this.count(this.emailIp, emailIpKey(email, ip), this.limits.emailIp),
      this.count(this.ip, ip, this.limits.ip),
    ]);
  }

  async succeeded(email: string, ip: string): Promise<void> {
    await this.emailIp.delete(emailIpKey(email, ip)).catch((err) => this.warn(err));
  }

  private async get(l: RateLimiterAbstract, key: string, limit: ThrottleLimit): Promise<number> {
    try {
      const res = await l.get(key);
      if (!res || res.consumedPoints < limit.points) return 0;
      return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    } catch (err) {
      this.warn(err);
      return 0;
    }
  }

  private async count(l: RateLimiterAbstract, key: string, limit: ThrottleLimit): Promise<void> {
    try {
      const res = await l.consume(key, 1);
      // the failure that uses up the allowance starts the block (its own length, not the window's rest)
      if (res.consumedPoints >= limit.points) await l.block(key, limit.blockSeconds);
    } catch (err) {
      if (err instanceof RateLimiterRes) return; // already over the limit: blocked
      this.warn(err);
    }
  }

  private warn(err: unknown): void {
    this.log?.warn({ reason: (err as Error)?.message }, 'login throttle store failed');
  }
}

function emailIpKey(email: string, ip: string): string {
  // a hash: the table and Redis keys never hold who tried to sign in
  const e = createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32);
  return `${e}:${ip}`;
}

function limiter(store: ThrottleStore, keyPrefix: string, l: ThrottleLimit): RateLimiterAbstract {
  const common = { keyPrefix, points: l.points, duration: l.seconds };
  const insuranceLimiter = new RateLimiterMemory(common);
  if (store.redis) {
    return new RateLimiterRedis({
      ...common,
      storeClient: store.redis,
      rejectIfRedisNotReady: true,
      insuranceLimiter,
    });
  }
  if (store.pool) {
    return new RateLimiterPostgres({
      ...common,
      storeClient: store.pool,
      storeType: 'pool',
      tableName: 'login_throttle',
      tableCreated: true,
      insuranceLimiter,
    });
  }
  return insuranceLimiter;
}
