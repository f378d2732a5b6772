import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/domains/auth/users.service.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

// Who the client is: anonymous callers are rate-limited by IP, and behind a trusted reverse proxy
// the IP (and https) come from the forwarded headers; from anyone else those headers are ignored.
let t: TestApp;
const PW = 'a long enough passphrase';
const ctx = { actor: 'test', clock: systemClock };

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t.close();
});

describe('rate limits count anonymous callers, by client IP', () => {
  it('requests with bad tokens are limited per IP at the viewer limit; a good token has its own budget', async () => {
    const a = await createTestApp({ tdb: t.tdb, env: { RATE_LIMIT_PER_MINUTE_VIEWER: '3' } });
    try {
      const call = (ip: string, authorization: string) =>
        a.app.inject({ method: 'GET', url: '/api/v1/me', remoteAddress: ip, headers: { authorization } });
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await call('10.5.0.1', `Bearer awa_bad${i}`)).statusCode);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      expect((await call('10.5.0.2', 'Bearer awa_bad')).statusCode).toBe(401);
      const good = await a.bearer('viewer');
      expect((await call('10.5.0.1', good)).statusCode).toBe(200);
    } finally {
      await a.close();
    }
  });
});

describe('rate limit headers', () => {
  it('every answer states the limit, what is left and the reset; over it, a 429 with Retry-After', async () => {
    const a = await createTestApp({ tdb: t.tdb, env: { RATE_LIMIT_PER_MINUTE_VIEWER: '2' } });
    try {
      const authorization = await a.bearer('viewer');
      const call = () => a.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization } });
      const [one, two, three] = [await call(), await call(), await call()];
      expect([one.statusCode, two.statusCode, three.statusCode]).toEqual([200, 200, 429]);
      expect(one.headers['x-ratelimit-limit']).toBe('2');
      expect([one, two, three].map((r) => r.headers['x-ratelimit-remaining'])).toEqual(['1', '0', '0']);
      const reset = Number(three.headers['x-ratelimit-reset']);
      expect(reset).toBeGreaterThan(0);
      expect(reset).toBeLessThanOrEqual(60);
      expect(three.headers['retry-after']).toBe(String(reset));
      expect(three.json().error).toMatchObject({
        code: 'rate_limited',
        message: expect.stringMatching(
          /^rate limit of 2 requests per minute exceeded; retry in \d+ seconds?$/,
        ),
      });
    } finally {
      await a.close();
    }
  });
});

describe('TRUST_PROXY', () => {
  const fwd = { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' };

  it('is validated: true/false, a hop count, or addresses/CIDRs', () => {
    const parse = (v: string) => loadConfig({ TRUST_PROXY: v }).TRUST_PROXY;
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(parse('')).toBe(false);
    expect(parse('true')).toBe(true);
    expect(parse('2')).toBe(2);
    expect(parse('10.0.0.1, 192.168.0.0/16,::1,fd00::/8')).toEqual([
      '10.0.0.1',
      '192.168.0.0/16',
      '::1',
      'fd00::/8',
    ]);
    for (const bad of ['yes', '10.0.0.300', '10.0.0.0/33', 'proxy.local', '10.0.0.1/8/8']) {
      expect(() => parse(bad), bad).toThrow(/TRUST_PROXY=.*must be true, a hop count, or a comma list/);
    }
  });

  async function sessionIp(app: TestApp, email: string, remoteAddress?: string) {
    const res = await app.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: fwd,
      remoteAddress,
      payload: { email, password: PW },
    });
    expect(res.statusCode).toBe(200);
    const { rows } = await t.tdb.db.pool.query(
      'SELECT s.ip FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1 ORDER BY s.created_at DESC LIMIT 1',
      [email],
    );
    return { ip: rows[0].ip as string, secure: Boolean(res.cookies[0]!.secure) };
  }

  it('with the proxy trusted, X-Forwarded-For is the client IP and X-Forwarded-Proto https makes the cookie Secure', async () => {
    await createUser(t.deps.db, { email: 'px1@example.com', role: 'viewer', password: PW }, ctx);
    const p = await createTestApp({
      tdb: t.tdb,
      env: { TRUST_PROXY: '127.0.0.1', RATE_LIMIT_PER_MINUTE_VIEWER: '2' },
    });
    try {
      expect(await sessionIp(p, 'px1@example.com')).toEqual({ ip: '203.0.113.7', secure: true });
      // from a peer that is not the trusted proxy the header is ignored
      expect(await sessionIp(p, 'px1@example.com', '10.0.0.9')).toEqual({ ip: '10.0.0.9', secure: false });
      // anonymous rate limits count the forwarded client, not the proxy
      const anon = (xff: string) =>
        p.app.inject({ method: 'GET', url: '/api/v1/me', headers: { 'x-forwarded-for': xff } });
      expect([(await anon('198.51.100.1')).statusCode, (await anon('198.51.100.1')).statusCode]).toEqual([
        401, 401,
      ]);
      expect((await anon('198.51.100.1')).statusCode).toBe(429);
      expect((await anon('198.51.100.2')).statusCode).toBe(401);
    } finally {
      await p.close();
    }
  });

  it('without TRUST_PROXY the forwarded headers are ignored', async () => {
    await createUser(t.deps.db, { email: 'px2@example.com', role: 'viewer', password: PW }, ctx);
    const n = await createTestApp({ tdb: t.tdb, env: { RATE_LIMIT_PER_MINUTE_VIEWER: '2' } });
    try {
      expect(await sessionIp(n, 'px2@example.com')).toEqual({ ip: '127.0.0.1', secure: false });
      const anon = (xff: string) =>
        n.app.inject({
          method: 'GET',
          url: '/api/v1/me',
          remoteAddress: '10.6.0.1',
          headers: { 'x-forwarded-for': xff },
        });
      await anon('198.51.100.1');
      await anon('198.51.100.2');
      expect((await anon('198.51.100.3')).statusCode).toBe(429); // one client: the real peer
    } finally {
      await n.close();
    }
  });
});
