import type { Redis } from 'ioredis';

/** Small key/value cache: in-process by default, Redis when REDIS_URL is set (shared by replicas). */
export interface Cache {
  readonly kind: 'memory' | 'redis';
  get<T>(key: string): Promise<T | undefined>;
  /** get() without waiting, for a cache held in this process; a remote one has none. */
  peek?<T>(key: string): T | undefined;
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  del(key: string): Promise<void>;
}

export class MemoryCache implements Cache {
  readonly kind = 'memory';
  private readonly map = new Map<string, { value: unknown; until: number }>();

  constructor(private readonly maxEntries = 10_000) {}

  async get<T>(key: string): Promise<T | undefined> {
    return this.peek<T>(key);
  }

  peek<T>(key: string): T | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    if (e.until < Date.now()) {
      this.map.delete(key);
      return undefined;
    }
    return e.value as T;
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    // Maps iterate in insertion order: dropping the first key evicts the oldest entry.
    if (this.map.size >= this.maxEntries) this.map.delete(this.map.keys().next().value as string);
    this.map.set(key, { value, until: Date.now() + ttlSeconds * 1000 });
  }

  async del(key: string): Promise<void> {
    this.map.delete(key);
  }
}

export class RedisCache implements Cache {
  readonly kind = 'redis';
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'awa:cache:',
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    const v = await this.redis.get(this.prefix + key);
    return v === null ? undefined : (JSON.parse(v) as T);
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.prefix + key, JSON.stringify(value), 'EX', Math.max(1, Math.round(ttlSeconds)));
  }

  async del(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}
