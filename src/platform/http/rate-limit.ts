import type { Redis } from 'ioredis';
import { type Clock, systemClock } from '../clock.ts';
import { AppError } from '../errors.ts';
import { realSleep, type Sleep } from './retry.ts';

export interface TokenBucketOptions {
  /** Names the bucket; the Redis key is `awa:ratelimit:<api>`. */
  api: string;
  ratePerSecond: number;
  /** Tokens available at once (default 1). */
  burst?: number;
  sleep?: Sleep;
}

export interface AcquireOptions {
  cost?: number;
  signal?: AbortSignal;
}

/** A token bucket per API; in memory (one process) or in Redis (shared by every process). */
export interface TokenBucket {
  readonly kind: 'memory' | 'redis';
  readonly ratePerSecond: number;
  readonly burst: number;
  /** Takes `cost` tokens and returns 0, or takes nothing and returns the ms until they will be there. */
  take(cost?: number): Promise<number>;
  /** Waits until `cost` tokens could be taken, and takes them. */
  acquire(opts?: AcquireOptions): Promise<void>;
}

// Float refill arithmetic can leave 0.9999999 of a token after waiting exactly the computed time.
const EPSILON = 1e-9;

function validate(opts: TokenBucketOptions): { rate: number; burst: number } {
  const rate = opts.ratePerSecond;
  const burst = opts.burst ?? 1;
  if (!(rate > 0) || !Number.isFinite(rate)) {
    throw new AppError('config', `${opts.api}: ratePerSecond must be a positive number, got ${rate}`);
  }
  if (!(burst >= 1) || !Number.isFinite(burst)) {
    throw new AppError('config', `${opts.api}: burst must be at least 1, got ${burst}`);
  }
  return { rate, burst };
}

async function acquireFrom(bucket: TokenBucket, sleep: Sleep, api: string, opts: AcquireOptions) {
  const cost = opts.cost ?? 1;
  if (cost > bucket.burst) {
    throw new AppError(
      'invalid',
      `${api}: a request costing ${cost} tokens can never fit a burst of ${bucket.burst}`,
    );
  }
  for (;;) {
    opts.signal?.throwIfAborted();
    const wait = await bucket.take(cost);
    if (wait <= 0) return;
    await sleep(wait, opts.signal);
  }
}

export class MemoryTokenBucket implements TokenBucket {
  readonly kind = 'memory';
  readonly ratePerSecond: number;
  readonly burst: number;
  private tokens: number;
  private last: number | undefined;
  private readonly sleep: Sleep;

  constructor(
    private readonly opts: TokenBucketOptions,
    private readonly clock: Clock = systemClock,
  ) {
    const { rate, burst } = validate(opts);
    this.ratePerSecond = rate;
    this.burst = burst;
    this.tokens = burst;
    this.sleep = opts.sleep ?? realSleep;
  }

  async take(cost = 1): Promise<number> {
    const now = this.clock.now().getTime();
    // a clock stepping backwards refills nothing instead of draining the bucket
    const elapsed = this.last === undefined ? 0 : Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.ratePerSecond) / 1000);
    if (this.tokens + EPSILON >= cost) {
      this.tokens -= cost;
      return 0;
    }
    return Math.ceil(((cost - this.tokens) * 1000) / this.ratePerSecond);
  }

  acquire(opts: AcquireOptions = {}): Promise<void> {
    return acquireFrom(this, this.sleep, this.opts.api, opts);
  }
}

/**
 * Refill and take in one step inside Redis, so concurrent processes never both spend the last
 * token. Time comes from Redis (TIME), the one clock every worker shares, so hosts with skewed
 * clocks cannot over-refill. Returns 0 when taken, else the ms to wait (nothing taken).
 */
const TAKE_LUA = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local s = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(s[1])
local ts = tonumber(s[2])
if tokens == nil or ts == nil then
  tokens = burst
  ts = now
end
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate / 1000)
local wait = 0
if tokens + 1e-9 >= cost then
  tokens = tokens - cost
else
  wait = math.ceil((cost - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return wait
`;

const COMMAND = 'awaTokenBucketTake';
type TakeCommand = (key: string, rate: number, burst: number, cost: number) => Promise<number>;

export interface RedisTokenBucketOptions extends TokenBucketOptions {
  /** Called when Redis fails; the bucket then limits this process alone until Redis answers again. */
  onError?: (err: unknown) => void;
}

export class RedisTokenBucket implements TokenBucket {
  readonly kind = 'redis';
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly key: string;
  private readonly sleep: Sleep;
  private readonly fallback: MemoryTokenBucket;

  constructor(
    private readonly redis: Redis,
    private readonly opts: RedisTokenBucketOptions,
  ) {
    const { rate, burst } = validate(opts);
    this.ratePerSecond = rate;
    this.burst = burst;
    this.key = `awa:ratelimit:${opts.api}`;
    this.sleep = opts.sleep ?? realSleep;
    this.fallback = new MemoryTokenBucket(opts);
    if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: TAKE_LUA });
  }

  async take(cost = 1): Promise<number> {
    const cmd = (this.redis as unknown as Record<string, TakeCommand>)[COMMAND]!;
    try {
      return Number(await cmd.call(this.redis, this.key, this.ratePerSecond, this.burst, cost));
    } catch (err) {
      // Failing every outbound call because Redis blinked would be worse than a per-process limit
      // for a while; upstream 429s (retried with backoff) catch any overshoot.
      this.opts.onError?.(err);
      return this.fallback.take(cost);
    }
  }

  acquire(opts: AcquireOptions = {}): Promise<void> {
    return acquireFrom(this, this.sleep, this.opts.api, opts);
  }
}

export function createTokenBucket(
  opts: RedisTokenBucketOptions & { redis?: Redis; clock?: Clock },
): TokenBucket {
  return opts.redis ? new RedisTokenBucket(opts.redis, opts) : new MemoryTokenBucket(opts, opts.clock);
}

/** Bounds in-flight requests per API; waiters are served first come, first served. */
export class Semaphore {
  private active = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new AppError('config', `concurrency must be at least 1, got ${limit}`);
  }

  get inFlight(): number {
    return this.active;
  }

  /** Resolves with a release function (safe to call twice) once a slot is free. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.active < this.limit) {
      this.active++;
    } else {
      await new Promise<void>((resolve, reject) => {
        const grant = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          const i = this.waiters.indexOf(grant);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiters.push(grant);
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      // the slot passes straight to the next waiter, so `active` stays the same
      if (next) next();
      else this.active--;
    };
  }
}
