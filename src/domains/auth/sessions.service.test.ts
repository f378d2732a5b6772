import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { MemoryCache } from '../../platform/cache.ts';
import type { Clock } from '../../platform/clock.ts';
import { connectDb } from '../../platform/db/pool.ts';
import { Authenticator } from './authenticator.ts';
import { type LoginDeps, login, logout } from './sessions.service.ts';
import { LoginThrottle } from './throttle.ts';
import { createUser, disableUser } from './users.service.ts';

let tdb: TestDatabase;
let t = Date.parse('2026-03-02T10:00:00Z');
const clock: Clock = { now: () => new Date(t) };
const ctx = { actor: 'cli:test', clock };
const PW = 'a long enough passphrase';
const settings = { idleMinutes: 30, maxHours: 2 };

function deps(throttle = new LoginThrottle({ pool: tdb.db.pool })): LoginDeps {
  return { db: tdb.db, clock, throttle, settings };
}

async function signIn(email: string, ip = '10.0.0.1') {
  const r = await login(deps(), { email, password: PW, ip, userAgent: 'vitest' });
  if (!r.ok) throw new Error(`login failed: ${r.reason}`);
  return r;
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  for (const email of ['ann@example.com', 'bob@example.com', 'cid@example.com', 'dan@example.com']) {
    await createUser(tdb.db, { email, role: 'ops', password: PW }, ctx);
  }
});

afterAll(async () => {
  await tdb.drop();
});

describe('login', () => {
  it('opens a session: only the cookie hash is stored, and the cookie authenticates as the user', async () => {
    const r = await signIn('Ann@Example.com ');
    expect(r.user).toEqual({
      email: 'ann@example.com',
      name: 'ann@example.com',
      role: 'ops',
      must_change_password: false,
    });
    expect(r.cookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(r.expiresAt.toISOString()).toBe(new Date(t + 2 * 3_600_000).toISOString());
    const { rows } = await tdb.db.pool.query('SELECT * FROM sessions');
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(r.cookie);
    expect(rows[0]).toMatchObject({
      ip: '10.0.0.1',
      user_agent: 'vitest',
      idle_timeout_minutes: 30,
      revoked_at: null,
    });
    const auth = new Authenticator(tdb.db, new MemoryCache(), { clock });
    expect(await auth.authenticateSession(r.cookie)).toMatchObject({
      kind: 'session',
      name: 'ann@example.com',
      role: 'ops',
      sessionId: rows[0].id,
      csrfToken: r.csrfToken,
      mustChangePassword: false,
    });
    // One character changed (never to itself: a cookie ending in 'A' tampered to 'A' is the cookie).
    const tampered = `${r.cookie.slice(0, -1)}${r.cookie.endsWith('A') ? 'B' : 'A'}`;
    expect(await auth.authenticateSession(tampered)).toBeUndefined();
    expect(await auth.authenticateSession('short')).toBeUndefined();
    const { rows: u } = await tdb.db.pool.query(
      "SELECT last_login_at FROM users WHERE email = 'ann@example.com'",
    );
    expect(new Date(u[0].last_login_at).getTime()).toBe(t);
  });

  it('wrong password, unknown e-mail and disabled user give the same answer', async () => {
    await createUser(tdb.db, { email: 'off@example.com', role: 'viewer', password: PW }, ctx);
    await disableUser(tdb.db, new MemoryCache(), 'off@example.com', ctx);
    const d = deps();
    for (const [email, password] of [
      ['bob@example.com', 'wrong password!!'],
      ['nobody@example.com', PW],
      ['off@example.com', PW],
    ] as const) {
      expect(await login(d, { email, password, ip: '10.0.0.2' })).toEqual({
        ok: false,
        reason: 'bad_credentials',
      });
    }
  });

  it('sessions end after the idle limit and at the absolute limit (injected clock)', async () => {
    const auth = new Authenticator(tdb.db, new MemoryCache(), { clock });
    const start = t;
    const r = await signIn('cid@example.com');
    const lastSeen = async () =>
      new Date(
        (
          await tdb.db.pool.query(
            'SELECT last_seen_at FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = $1)',
            ['cid@example.com'],
          )
        ).rows[0].last_seen_at,
      ).getTime();
    // used every 20 minutes (< 30 idle): stays alive, and last_seen_at moves at most once a minute
    t += 30_000;
    expect(await auth.authenticateSession(r.cookie)).toBeDefined();
    expect(await lastSeen()).toBe(start); // 30 s: not written
    for (let i = 1; i <= 5; i++) {
      t = start + i * 20 * 60_000;
      expect(await auth.authenticateSession(r.cookie), `after ${i * 20} min`).toBeDefined();
      expect(await lastSeen()).toBe(t);
    }
    // 2 h after sign-in the absolute limit ends it, however active
    t = start + 2 * 3_600_000 - 1000;
    expect(await auth.authenticateSession(r.cookie)).toBeDefined();
    t = start + 2 * 3_600_000;
    expect(await auth.authenticateSession(r.cookie)).toBeUndefined();

    // idle: 30 minutes without a request
    const s = await signIn('cid@example.com');
    const fresh = new Authenticator(tdb.db, new MemoryCache(), { clock });
    t += 29 * 60_000;
    expect(await fresh.authenticateSession(s.cookie)).toBeDefined();
    t += 30 * 60_000;
    expect(await fresh.authenticateSession(s.cookie)).toBeUndefined();
    t = start + 3 * 3_600_000;
  });

  it('logout and disable end sessions at once through the shared cache', async () => {
    const cache = new MemoryCache();
    const auth = new Authenticator(tdb.db, cache, { clock });
    const a = await signIn('dan@example.com');
    const b = await signIn('dan@example.com');
    const pa = await auth.authenticateSession(a.cookie);
    expect(pa).toBeDefined();
    expect(await auth.authenticateSession(b.cookie)).toBeDefined(); // both cached now
    await logout(tdb.db, cache, clock, pa!);
    expect(await auth.authenticateSession(a.cookie)).toBeUndefined();
    expect(await auth.authenticateSession(b.cookie)).toBeDefined();
    const r = await disableUser(tdb.db, cache, 'dan@example.com', ctx);
    expect(r.sessions_revoked).toBe(1);
    expect(await auth.authenticateSession(b.cookie)).toBeUndefined();
  });
});

describe('revocation across processes (LISTEN awa_auth)', () => {
  it('a disable through another connection reaches a listening authenticator within moments', async () => {
    await createUser(tdb.db, { email: 'eve@example.com', role: 'viewer', password: PW }, ctx);
    const auth = new Authenticator(tdb.db, new MemoryCache(), { clock });
    await auth.listen();
    const other = await connectDb(tdb.url, { max: 1 }); // "the CLI": its own pool and cache
    try {
      expect(auth.hearsRevocations).toBe(true);
      const r = await signIn('eve@example.com');
      expect(await auth.authenticateSession(r.cookie)).toBeDefined(); // cached (for a minute: listening)
      const t0 = Date.now();
      await disableUser(other, new MemoryCache(), 'eve@example.com', ctx);
      await expect
        .poll(() => auth.authenticateSession(r.cookie), { timeout: 2000, interval: 10 })
        .toBeUndefined();
      expect(Date.now() - t0).toBeLessThan(2000); // far below the cache's 60 s: the notification did it
    } finally {
      await other.close();
      await auth.unlisten();
    }
    expect(auth.hearsRevocations).toBe(false);
  });

  it('when the listening connection drops it says so, flushes what it cached, and reconnects', async () => {
    await createUser(tdb.db, { email: 'fay@example.com', role: 'viewer', password: PW }, ctx);
    const cache = new MemoryCache();
    const auth = new Authenticator(tdb.db, cache, { clock });
    await auth.listen();
    try {
      const r = await signIn('fay@example.com');
      const p = await auth.authenticateSession(r.cookie);
      expect(p).toBeDefined();
      expect(await cache.get(`ses:${p!.sessionId}`)).toBeTruthy();
      await tdb.db.pool.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
        [`awa-auth-listen:${process.pid}`],
      );
      await expect.poll(() => auth.hearsRevocations, { timeout: 2000, interval: 10 }).toBe(false);
      expect(await cache.get(`ses:${p!.sessionId}`)).toBeUndefined(); // may have missed a revoke: dropped
      await expect.poll(() => auth.hearsRevocations, { timeout: 5000, interval: 50 }).toBe(true);
      // and hears revocations again
      expect(await auth.authenticateSession(r.cookie)).toBeDefined();
      const other = await connectDb(tdb.url, { max: 1 });
      await disableUser(other, new MemoryCache(), 'fay@example.com', ctx);
      await other.close();
      await expect
        .poll(() => auth.authenticateSession(r.cookie), { timeout: 2000, interval: 10 })
        .toBeUndefined();
    } finally {
      await auth.unlisten();
    }
  });
});

describe('login throttling (Postgres store)', () => {
  it('5 failures per e-mail and IP block that pair for 15 minutes; other IPs and e-mails are unaffected', async () => {
    await createUser(tdb.db, { email: 'gus@example.com', role: 'viewer', password: PW }, ctx);
    const d = deps();
    for (let i = 0; i < 5; i++) {
      expect(
        await login(d, { email: 'gus@example.com', password: 'wrong wrong wrong', ip: '10.1.0.1' }),
      ).toEqual({
        ok: false,
        reason: 'bad_credentials',
      });
    }
    const blocked = await login(d, { email: 'GUS@example.com', password: PW, ip: '10.1.0.1' });
    expect(blocked).toMatchObject({ ok: false, reason: 'throttled' });
    const wait = (blocked as { retryAfterSeconds: number }).retryAfterSeconds;
    expect(wait).toBeGreaterThan(14 * 60);
    expect(wait).toBeLessThanOrEqual(15 * 60);
    expect((await login(d, { email: 'gus@example.com', password: PW, ip: '10.1.0.2' })).ok).toBe(true);
    expect((await login(d, { email: 'ann@example.com', password: PW, ip: '10.1.0.1' })).ok).toBe(true);
    // the counters are in the table, under a hash of the e-mail
    const { rows } = await tdb.db.pool.query('SELECT key, points FROM login_throttle');
    expect(
      rows.some((r) => r.key.startsWith('login_ei:') && r.key.endsWith(':10.1.0.1') && r.points >= 5),
    ).toBe(true);
    expect(JSON.stringify(rows)).not.toContain('gus');
  });

  it('a success clears the e-mail+IP counter', async () => {
    await createUser(tdb.db, { email: 'hal@example.com', role: 'viewer', password: PW }, ctx);
    const d = deps();
    const fail = () => login(d, { email: 'hal@example.com', password: 'nope nope nope', ip: '10.2.0.1' });
    for (let i = 0; i < 4; i++) await fail();
    expect((await login(d, { email: 'hal@example.com', password: PW, ip: '10.2.0.1' })).ok).toBe(true);
    for (let i = 0; i < 4; i++) expect(await fail()).toMatchObject({ reason: 'bad_credentials' });
    expect((await login(d, { email: 'hal@example.com', password: PW, ip: '10.2.0.1' })).ok).toBe(true);
  });

  it('an IP failing over many e-mails is blocked for all of them', async () => {
    const limits = {
      emailIp: { points: 5, seconds: 900, blockSeconds: 900 },
      ip: { points: 3, seconds: 3600, blockSeconds: 3600 },
    };
    const d = deps(new LoginThrottle({ pool: tdb.db.pool }, limits));
    for (const email of ['x1@example.com', 'x2@example.com', 'x3@example.com']) {
      expect(await login(d, { email, password: 'guess guess guess', ip: '10.3.0.1' })).toMatchObject({
        reason: 'bad_credentials',
      });
    }
    const r = await login(d, { email: 'ann@example.com', password: PW, ip: '10.3.0.1' });
    expect(r).toMatchObject({ ok: false, reason: 'throttled' });
    expect((r as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(3500);
    expect((await login(d, { email: 'ann@example.com', password: PW, ip: '10.3.0.2' })).ok).toBe(true);
  });

  it('still throttles (in memory) when the store fails', async () => {
    const broken = await connectDb(tdb.url, { max: 1 });
    await broken.close(); // every query on it now fails
    const d = deps(new LoginThrottle({ pool: broken.pool }));
    for (let i = 0; i < 5; i++)
      await login(d, { email: 'bob@example.com', password: 'bad bad bad bad', ip: '10.4.0.1' });
    expect(await login(d, { email: 'bob@example.com', password: PW, ip: '10.4.0.1' })).toMatchObject({
      reason: 'throttled',
    });
  });
});
