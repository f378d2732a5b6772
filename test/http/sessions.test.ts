import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, disableUser } from '../../src/domains/auth/users.service.ts';
import { MemoryCache } from '../../src/platform/cache.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { connectDb } from '../../src/platform/db/pool.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

// Browser sign-in through the real app: cookie, CSRF, revocation, throttling, audit (client IPs and
// proxies: client-ip.test.ts).
let t: TestApp;
const PW = 'a long enough passphrase';
const HOST = 'awa.test';
const SITE = `http://${HOST}`;
const ctx = { actor: 'test', clock: systemClock };

beforeAll(async () => {
  t = await createTestApp({ env: { CORS_ORIGINS: 'https://app.example' } });
  for (const [email, role] of [
    ['admin@example.com', 'admin'],
    ['viewer@example.com', 'viewer'],
    ['gone@example.com', 'ops'],
    ['thr@example.com', 'viewer'],
  ] as const) {
    await createUser(t.deps.db, { email, role, password: PW }, ctx);
  }
});

afterAll(async () => {
  await t.close();
});

interface Session {
  cookie: string;
  csrf: string;
}

async function login(
  email: string,
  password = PW,
  opts: { ip?: string; headers?: Record<string, string> } = {},
) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { host: HOST, ...opts.headers },
    remoteAddress: opts.ip,
    payload: { email, password },
  });
}

async function session(email: string): Promise<Session> {
  const res = await login(email);
  expect(res.statusCode, res.body).toBe(200);
  return { cookie: res.cookies.find((c) => c.name === 'awa_session')!.value, csrf: res.json().csrf_token };
}

/** A write as the web app makes it: cookie, same-site Origin, CSRF token (each overridable). */
function write(s: Session, url: string, payload: unknown, headers: Record<string, string | undefined> = {}) {
  const h: Record<string, string> = { host: HOST, origin: SITE, 'x-csrf-token': s.csrf, ...headers } as never;
  for (const [k, v] of Object.entries(headers)) if (v === undefined) delete h[k];
  return t.app.inject({
    method: 'POST',
    url,
    headers: h,
    cookies: { awa_session: s.cookie },
    payload: payload as never,
  });
}

const me = (s: Session) =>
  t.app.inject({
    method: 'GET',
    url: '/api/v1/me',
    headers: { host: HOST },
    cookies: { awa_session: s.cookie },
  });

const runMaintenance = (s: Session, headers: Record<string, string | undefined> = {}) =>
  write(s, '/api/v1/agents/maintenance/run', { dry_run: true }, headers);

describe('sign-in', () => {
  it('sets an HttpOnly, SameSite=Lax, Path=/ session cookie (not Secure over plain http) and returns the CSRF token', async () => {
    const res = await login('Admin@Example.com');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      user: {
        email: 'admin@example.com',
        name: 'admin@example.com',
        role: 'admin',
        must_change_password: false,
      },
      csrf_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    const c = res.cookies.find((x) => x.name === 'awa_session')!;
    expect(c).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(c.secure).toBeFalsy();
    expect(c.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const ttl = new Date(c.expires!).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(167 * 3_600_000); // SESSION_MAX_HOURS default 168
    expect(ttl).toBeLessThanOrEqual(168 * 3_600_000);
  });

  it('GET /me with the cookie describes the user; with a token, the token', async () => {
    const s = await session('viewer@example.com');
    const res = await me(s);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      kind: 'session',
      name: 'viewer@example.com',
      role: 'viewer',
      email: 'viewer@example.com',
      must_change_password: false,
      csrf_token: s.csrf,
      marketplace: 'DE',
      currency: 'EUR',
    });
    const authorization = await t.bearer('ops', 'script-1');
    const tok = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization } });
    expect(tok.json()).toEqual({
      kind: 'token',
      name: 'script-1',
      role: 'ops',
      email: null,
      must_change_password: false,
      csrf_token: null,
      marketplace: 'DE',
      currency: 'EUR',
    });
  });

  it('wrong password, unknown e-mail and a disabled user get the same 401 body', async () => {
    await createUser(t.deps.db, { email: 'off@example.com', role: 'viewer', password: PW }, ctx);
    await disableUser(t.deps.db, t.deps.cache, 'off@example.com', ctx);
    const bodies = [];
    for (const [email, password] of [
      ['admin@example.com', 'not the password'],
      ['nobody@example.com', PW],
      ['off@example.com', PW],
    ]) {
      const res = await login(email!, password, { ip: '10.9.0.1' });
      expect(res.statusCode).toBe(401);
      expect(res.cookies).toEqual([]);
      const { request_id, ...rest } = res.json().error;
      expect(request_id).toBe(res.headers['x-request-id']);
      bodies.push(rest);
    }
    expect(bodies).toEqual(Array(3).fill({ code: 'unauthorized', message: 'wrong email or password' }));
  });

  it('a sign-in from a foreign Origin is refused; without an Origin (curl) it works', async () => {
    const res = await login('admin@example.com', PW, { headers: { origin: 'https://evil.example' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('CSRF') });
    expect(res.cookies).toEqual([]);
    expect((await login('admin@example.com', PW, { headers: { origin: SITE } })).statusCode).toBe(200);
    expect(
      (await login('admin@example.com', PW, { headers: { origin: 'https://app.example' } })).statusCode,
    ).toBe(200);
  });

  it('rejects a malformed body with 400 and field details', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'a@b.example' },
    });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json().error.details)).toContain('password');
  });
});

describe('CSRF on cookie writes', () => {
  let s: Session;
  beforeAll(async () => {
    s = await session('admin@example.com');
  });

  it('403 without X-CSRF-Token, with a wrong one, or with a foreign or missing Origin', async () => {
    for (const headers of [
      { 'x-csrf-token': undefined },
      { 'x-csrf-token': `${s.csrf.slice(0, -1)}${s.csrf.endsWith('x') ? 'y' : 'x'}` }, // one character off
      { 'x-csrf-token': 'short' },
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { origin: undefined },
      { origin: undefined, referer: 'https://evil.example/page' },
    ]) {
      const res = await runMaintenance(s, headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(res.json().error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('CSRF') });
    }
  });

  it('passes with the token and this site (Origin, or Referer without Origin, or a CORS origin)', async () => {
    for (const headers of [
      {},
      { origin: undefined, referer: `${SITE}/roi?page=2` },
      { origin: 'https://app.example' },
    ]) {
      const res = await runMaintenance(s, headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(202);
    }
  });

  it('reads need no CSRF token; bearer writes are not CSRF-checked', async () => {
    expect((await me(s)).statusCode).toBe(200);
    const authorization = await t.bearer('admin');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agents/maintenance/run',
      headers: { authorization, origin: 'https://evil.example' },
      payload: { dry_run: true },
    });
    expect(res.statusCode).toBe(202);
  });

  it('roles apply to sessions as to tokens', async () => {
    const v = await session('viewer@example.com');
    const res = await runMaintenance(v);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toBe('this action needs the admin role; your account has viewer');
  });
});

describe('ending sessions', () => {
  it('logout ends the session at once and clears the cookie', async () => {
    const s = await session('viewer@example.com');
    const other = await session('viewer@example.com');
    const out = await write(s, '/api/v1/auth/logout', undefined);
    expect(out.statusCode).toBe(204);
    expect(out.body).toBe('');
    const cleared = out.cookies.find((c) => c.name === 'awa_session')!;
    expect(cleared.value).toBe('');
    expect(new Date(cleared.expires!).getTime()).toBeLessThan(Date.now());
    const after = await me(s);
    expect(after.statusCode).toBe(401);
    expect(after.json().error.message).toMatch(/session has ended/);
    expect((await me(other)).statusCode).toBe(200); // only that session
  });

  it('disabling the user in another process (own connection and cache) ends their sessions at once', async () => {
    const s = await session('gone@example.com');
    expect((await me(s)).statusCode).toBe(200); // now cached by the app
    const cli = await connectDb(t.tdb.url, { max: 1 });
    try {
      await disableUser(cli, new MemoryCache(), 'gone@example.com', ctx);
    } finally {
      await cli.close();
    }
    // the app hears it through LISTEN awa_auth: well within 2 s, where its cache would keep it a minute
    await expect.poll(async () => (await me(s)).statusCode, { timeout: 2000, interval: 10 }).toBe(401);
    expect((await login('gone@example.com')).statusCode).toBe(401);
  });
});

describe('session lifetime by the app clock', () => {
  it('a session lives by the clock that dated it: idle past SESSION_IDLE_MINUTES → 401 and the cookie cleared', async () => {
    let now = Date.parse('2020-01-01T00:00:00Z'); // far in the past: the wall clock must play no part
    const c = await createTestApp({ tdb: t.tdb, clock: { now: () => new Date(now) } });
    try {
      const res = await c.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'viewer@example.com', password: PW },
      });
      const cookie = res.cookies[0]!;
      expect(new Date(cookie.expires!).toISOString()).toBe('2020-01-08T00:00:00.000Z');
      const get = () =>
        c.app.inject({ method: 'GET', url: '/api/v1/me', cookies: { awa_session: cookie.value } });
      now += 719 * 60_000;
      expect((await get()).statusCode).toBe(200);
      now += 720 * 60_000;
      const gone = await get();
      expect(gone.statusCode).toBe(401);
      expect(gone.cookies.find((x) => x.name === 'awa_session')?.value).toBe('');
    } finally {
      await c.close();
    }
  });
});

describe('one-time passwords and password change', () => {
  it('a generated password must be changed before anything else; the change ends other sessions', async () => {
    const u = await createUser(t.deps.db, { email: 'new@example.com', role: 'admin' }, ctx);
    const res = await login('new@example.com', u.password);
    expect(res.json().user.must_change_password).toBe(true);
    const s = { cookie: res.cookies[0]!.value, csrf: res.json().csrf_token };
    const second = { cookie: (await login('new@example.com', u.password)).cookies[0]!.value, csrf: '' };
    expect((await me(s)).json().must_change_password).toBe(true);
    const blocked = await runMaintenance(s);
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.message).toMatch(/change your one-time password first/);

    const wrong = await write(s, '/api/v1/auth/password', { current_password: 'nope', new_password: PW });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toMatchObject({
      message: 'the current password is wrong',
      details: { field: 'current_password' },
    });
    const weak = await write(s, '/api/v1/auth/password', {
      current_password: u.password,
      new_password: 'short',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.message).toMatch(/too short/);
    const noCsrf = await write(
      s,
      '/api/v1/auth/password',
      { current_password: u.password, new_password: PW },
      {
        'x-csrf-token': undefined,
      },
    );
    expect(noCsrf.statusCode).toBe(403);

    const ok = await write(s, '/api/v1/auth/password', { current_password: u.password, new_password: PW });
    expect(ok.statusCode, ok.body).toBe(204);
    expect((await me(s)).json().must_change_password).toBe(false);
    expect((await runMaintenance(s)).statusCode).toBe(202);
    expect((await me(second)).statusCode).toBe(401);
    expect((await login('new@example.com', u.password)).statusCode).toBe(401);
    expect((await login('new@example.com', PW)).statusCode).toBe(200);
  });

  it('a token cannot change a password', async () => {
    const authorization = await t.bearer('admin');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: { authorization },
      payload: { current_password: 'x', new_password: PW },
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('throttling', () => {
  it('5 failures from one IP → 429 with Retry-After, even with the right password; another IP still signs in', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await login('thr@example.com', 'wrong password!', { ip: '10.7.0.1' })).statusCode).toBe(401);
    }
    const res = await login('thr@example.com', PW, { ip: '10.7.0.1' });
    expect(res.statusCode).toBe(429);
    expect(res.json().error.code).toBe('rate_limited');
    const wait = Number(res.headers['retry-after']);
    expect(wait).toBeGreaterThan(14 * 60);
    expect(wait).toBeLessThanOrEqual(15 * 60);
    expect((await login('thr@example.com', PW, { ip: '10.7.0.2' })).statusCode).toBe(200);
  });
});

describe('audit', () => {
  it('records sign-ins, failures (with the e-mail tried, never the password), throttling, logout and password changes', async () => {
    await new Promise((r) => setTimeout(r, 1300)); // the writer flushes every second
    const { rows } = await t.tdb.db.pool.query(
      'SELECT actor, role, event, status, ip, details FROM audit_log WHERE event IS NOT NULL ORDER BY id',
    );
    const events = new Set(rows.map((r) => r.event));
    for (const e of [
      'login',
      'login_failed',
      'login_throttled',
      'logout',
      'password_changed',
      'password_change_failed',
    ]) {
      expect(events, e).toContain(e);
    }
    expect(rows).toContainEqual(
      expect.objectContaining({
        actor: 'nobody@example.com',
        event: 'login_failed',
        status: 401,
        role: null,
      }),
    );
    expect(rows).toContainEqual(
      expect.objectContaining({
        actor: 'thr@example.com',
        event: 'login_throttled',
        status: 429,
        ip: '10.7.0.1',
      }),
    );
    expect(rows).toContainEqual(
      expect.objectContaining({ actor: 'admin@example.com', event: 'login', role: 'admin', status: 200 }),
    );
    const all = JSON.stringify((await t.tdb.db.pool.query('SELECT * FROM audit_log')).rows);
    expect(all).not.toContain(PW);
    expect(all).not.toContain('wrong password!');
  });
});
