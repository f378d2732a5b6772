import type { Cache } from '../../platform/cache.ts';
import { type Clock, systemClock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { Logger } from '../../platform/logger.ts';
import * as repo from './auth.repo.ts';
import { InvalidationListener } from './invalidation.ts';
import {
  hashToken,
  type Principal,
  type Role,
  type SessionPrincipal,
  sessionKey,
  tokenKey,
} from './principal.ts';
import * as sessions from './sessions.repo.ts';

// While this process hears revocations (LISTEN awa_auth), a cached principal may live a minute: a
// revoke reaches the cache at once anyway. Without the listener (connection lost; a process that
// never listens), 5 s bounds how long a revoked token or session still works on a stale entry.
const TTL_LISTENING_SECONDS = 60;
const TTL_FALLBACK_SECONDS = 5;
// last_seen_at is written at most this often per session (the idle limit counts in minutes)
const TOUCH_EVERY_MS = 60_000;
// cache keys this process wrote, flushed when the listener goes down or comes back
const MAX_TRACKED = 10_000;

const SESSION_COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/; // 32 random bytes, base64url

interface CachedSession {
  p: SessionPrincipal;
  expires: number;
  idleMs: number;
  seen: number;
}

/**
 * Resolves a bearer token or a session cookie to its principal. Results (including "unknown") are
 * cached so the hot path costs one cache read; token last-use times are written in batches and a
 * session's last_seen_at at most once a minute, not per request.
 */
export class Authenticator {
  private readonly used = new Set<number>();
  private timer?: NodeJS.Timeout;
  private listener?: InvalidationListener;
  private listening = 0;
  private readonly tracked = new Set<string>();
  private readonly clock: Clock;

  constructor(
    private readonly db: Db,
    private readonly cache: Cache,
    opts: { clock?: Clock } = {},
  ) {
    this.clock = opts.clock ?? systemClock;
  }

  /** Whether revocations from other processes reach this one at once (else: the short TTL). */
  get hearsRevocations(): boolean {
    return this.listener?.up ?? false;
  }

  /**
   * authenticate() when the answer is in an in-process cache (same entries, same expiry): the
   * principal, null for a token known to be invalid, undefined when authenticate() must look.
   */
  cachedToken(token: string): Principal | null | undefined {
    if (!plausible(token)) return null;
    if (!this.cache.peek) return undefined; // not without waiting (Redis): no hashing twice
    const p = this.cache.peek<Principal | null>(tokenKey(hashToken(token)));
    if (p) this.noteUse(p.id);
    return p;
  }

  async authenticate(token: string): Promise<Principal | undefined> {
    if (!plausible(token)) return undefined;
    const hash = hashToken(token);
    const key = tokenKey(hash);
    // A cache outage (Redis down) must not lock everyone out: fall back to the database.
    let p = await this.cache.get<Principal | null>(key).catch(() => undefined);
    if (p === undefined) {
      const row = await repo.findActiveByHash(this.db.pool, hash);
      p = row ? { id: row.id, name: row.name, role: row.role as Role, kind: 'token' } : null;
      await this.remember(key, p);
    }
    if (!p) return undefined;
    this.noteUse(p.id);
    return p;
  }

  /** last_used_at is written in batches, every 10 s at most. */
  private noteUse(id: number): void {
    this.used.add(id);
    this.timer ??= setTimeout(() => void this.flush(), 10_000).unref();
  }

  /**
   * The session behind a cookie value, if it is live: not revoked, not idle too long, not expired.
   * `at` is "now" from the caller's clock (the app's), so a session is judged by the same clock that
   * set its expiry.
   */
  async authenticateSession(cookie: string, at?: Date): Promise<SessionPrincipal | undefined> {
    if (!SESSION_COOKIE_VALUE.test(cookie)) return undefined;
    const id = hashToken(cookie);
    const key = sessionKey(id);
    let c = await this.cache.get<CachedSession | null>(key).catch(() => undefined);
    if (c === undefined) {
      const row = await sessions.findLive(this.db.pool, id);
      c = row && !row.disabled_at ? cached(row) : null;
      await this.remember(key, c);
    }
    if (!c) return undefined;
    const now = (at ?? this.clock.now()).getTime();
    if (now >= c.expires || now - c.seen >= c.idleMs) return undefined;
    if (now - c.seen >= TOUCH_EVERY_MS) {
      c = { ...c, seen: now };
      await sessions.touch(this.db.pool, id, new Date(now)).catch(() => {});
      await this.remember(key, c);
    }
    return c.p;
  }

  /** Drops cache entries (a revoke in this process, or one announced by another). */
  async invalidate(keys: string[]): Promise<void> {
    for (const k of keys) {
      this.tracked.delete(k);
      await this.cache.del(k).catch(() => {});
    }
  }

  /** Starts hearing revocations from every process; pairs with unlisten() (counted). */
  async listen(log?: Logger): Promise<void> {
    this.listening += 1;
    if (this.listener) return;
    this.listener = new InvalidationListener(
      this.db.pool,
      (keys) => void this.invalidate(keys),
      // down: entries cached for a minute may miss a revoke; back up: some may have been missed
      () => void this.invalidate([...this.tracked]),
      log,
    );
    await this.listener.start();
  }

  async unlisten(): Promise<void> {
    this.listening = Math.max(0, this.listening - 1);
    if (this.listening > 0) return;
    const l = this.listener;
    this.listener = undefined;
    await l?.stop();
  }

  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const ids = [...this.used];
    this.used.clear();
    await repo.touchTokens(this.db.pool, ids).catch(() => {});
  }

  private async remember(key: string, value: unknown): Promise<void> {
    const ttl = this.listener?.up ? TTL_LISTENING_SECONDS : TTL_FALLBACK_SECONDS;
    await this.cache.set(key, value, ttl).catch(() => {});
    if (this.tracked.size >= MAX_TRACKED) this.tracked.delete(this.tracked.values().next().value as string);
    this.tracked.add(key);
  }
}

/** The shape of our tokens (`awa_` + 43 characters); anything else is never looked up. */
function plausible(token: string): boolean {
  return token.startsWith('awa_') && token.length <= 100;
}

function cached(row: sessions.SessionUserRow): CachedSession {
  return {
    p: {
      id: Number(row.user_id),
      name: row.email,
      role: row.role as Role,
      kind: 'session',
      userId: Number(row.user_id),
      sessionId: row.id,
      displayName: row.name,
      csrfToken: row.csrf_token,
      mustChangePassword: row.must_change_password,
    },
    expires: new Date(row.expires_at).getTime(),
    idleMs: row.idle_timeout_minutes * 60_000,
    seen: new Date(row.last_seen_at).getTime(),
  };
}
