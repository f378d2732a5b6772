import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Role } from '../../domains/auth/auth.service.ts';
import { AppError } from '../../platform/errors.ts';

/** Requests counted for a key in its current window, and the time until that window ends. */
export interface WindowHit {
  count: number;
  resetMs: number;
}

/**
 * Counts requests per key in fixed windows, each starting at a key's first request. In memory the
 * answer is there at once, so the hook costs no promise; Redis (REDIS_URL, shared by replicas)
 * answers with one.
 */
export interface RequestCounter {
  hit(key: string): WindowHit | Promise<WindowHit>;
}

export class MemoryCounter implements RequestCounter {
  // in window-start order (a renewed window is re-inserted), so the first entries expire first
  private readonly windows = new Map<string, { count: number; end: number }>();

  constructor(
    private readonly windowMs: number,
    private readonly maxKeys = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  hit(key: string): WindowHit {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || w.end <= now) {
      if (w) this.windows.delete(key);
      else this.makeRoom(now);
      w = { count: 0, end: now + this.windowMs };
      this.windows.set(key, w);
    }
    w.count += 1;
    return { count: w.count, resetMs: w.end - now };
  }

  /** Drops ended windows from the front; when all are live, the oldest (as the store it replaces did). */
  private makeRoom(now: number): void {
    for (const [k, w] of this.windows) {
      if (w.end > now && this.windows.size < this.maxKeys) return;
      this.windows.delete(k);
    }
  }
}

// INCR, and the window's expiry on its first request (or when a key somehow lost it)
const HIT_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if n == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}`;

type ScriptedRedis = Redis & { awaRateHit(key: string, windowMs: number): Promise<[number, number]> };

export class RedisCounter implements RequestCounter {
  private readonly redis: ScriptedRedis;

  constructor(
    redis: Redis,
    private readonly windowMs: number,
    private readonly prefix = 'awa:rl:',
  ) {
    if (!('awaRateHit' in redis)) redis.defineCommand('awaRateHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
    this.redis = redis as ScriptedRedis;
  }

  async hit(key: string): Promise<WindowHit> {
    const [count, resetMs] = await this.redis.awaRateHit(this.prefix + key, this.windowMs);
    return { count, resetMs };
  }
}

export interface RateLimitOptions {
  limits: Record<Role, number>;
  redis?: Redis;
  windowMs?: number;
}

/**
 * The per-role limit as an onRequest hook of the context it is registered in, after authentication:
 * keyed by token or session, else by client IP (honouring TRUST_PROXY) at the viewer limit, so that
 * failed attempts count too. Every answer says the limit, what is left and when the window resets;
 * over the limit it is a 429 with Retry-After. A Redis outage lets requests through rather than
 * taking the API down with it.
 */
export function registerRateLimit(app: FastifyInstance, opts: RateLimitOptions): void {
  const windowMs = opts.windowMs ?? 60_000;
  const counter: RequestCounter = opts.redis
    ? new RedisCounter(opts.redis, windowMs)
    : new MemoryCounter(windowMs);
  app.addHook('onRequest', (req, reply, done) => {
    const max = opts.limits[req.principal?.role ?? 'viewer'];
    const hit = counter.hit(keyOf(req));
    if (hit instanceof Promise) {
      hit.then(
        (h) => done(verdict(reply, h, max)),
        () => done(),
      );
    } else {
      done(verdict(reply, hit, max));
    }
  });
}

function keyOf(req: FastifyRequest): string {
  const p = req.principal;
  if (!p) return `ip:${req.ip}`;
  return p.kind === 'session' ? `ses:${p.sessionId}` : `tok:${p.id}`;
}

function verdict(reply: FastifyReply, h: WindowHit, max: number): AppError | undefined {
  const reset = Math.ceil(h.resetMs / 1000);
  reply.header('x-ratelimit-limit', max);
  reply.header('x-ratelimit-remaining', Math.max(0, max - h.count));
  reply.header('x-ratelimit-reset', reset);
  if (h.count <= max) return undefined;
  reply.header('retry-after', reset);
  return new AppError(
    'rate_limited',
    `rate limit of ${max} requests per minute exceeded; retry in ${reset} second${reset === 1 ? '' : 's'}`,
  );
}
