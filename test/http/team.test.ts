import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/domains/auth/users.service.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

// Team and access through the real app: users, API tokens and the audit log, for admins only.
let t: TestApp;
let admin: string;
let ops: string;
let viewer: string;
const HOST = 'awa.test';
const PW = 'a long enough passphrase';

interface Session {
  cookie: string;
  csrf: string;
}

async function call(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  auth: string | Session,
  body?: unknown,
) {
  const session = typeof auth === 'string' ? undefined : auth;
  const res = await t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: session
      ? { host: HOST, origin: `http://${HOST}`, 'x-csrf-token': session.csrf }
      : { authorization: auth as string },
    cookies: session ? { awa_session: session.cookie } : undefined,
    payload: body as object | undefined,
  });
  return {
    status: res.statusCode,
    body: res.body
      ? String(res.headers['content-type'] ?? '').includes('json')
        ? res.json()
        : res.body
      : undefined,
    headers: res.headers,
  };
}

async function signIn(email: string, password = PW): Promise<Session> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { host: HOST },
    payload: { email, password },
  });
  expect(res.statusCode, res.body).toBe(200);
  return { cookie: res.cookies.find((c) => c.name === 'awa_session')!.value, csrf: res.json().csrf_token };
}

/** The audit log is written in batches (about every second): wait for an event to land. */
async function auditEvent(event: string, actor?: string) {
  let found: Record<string, unknown> | undefined;
  await expect
    .poll(
      async () => {
        const r = await call(
          'GET',
          `/team/audit?only=events&action=${event}${actor ? `&actor=${encodeURIComponent(actor)}` : ''}`,
          admin,
        );
        found = r.body.items.find((i: { event: string }) => i.event === event);
        return Boolean(found);
      },
      { timeout: 5000, interval: 200 },
    )
    .toBe(true);
  return found!;
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.bearer('admin', 'root-script');
  ops = await t.bearer('ops', 'olga');
  viewer = await t.bearer('viewer', 'vera');
  await createUser(
    t.deps.db,
    { email: 'ada@example.com', role: 'admin', password: PW },
    { actor: 'test', clock: systemClock },
  );
});

afterAll(async () => {
  await t.close();
});

describe('who may use the Team routes', () => {
  it('403 for ops and viewers, on reads and writes alike', async () => {
    for (const auth of [ops, viewer]) {
      for (const [method, url, body] of [
        ['GET', '/team/users'],
        ['GET', '/team/tokens'],
        ['GET', '/team/audit'],
        ['GET', '/team/audit.csv'],
        ['POST', '/team/users', { email: 'x@example.com', role: 'viewer' }],
        ['POST', '/team/tokens', { name: 'sneaky', role: 'admin' }],
        ['DELETE', '/team/tokens/olga'],
      ] as const) {
        const r = await call(method, url, auth, body);
        expect(r.status, `${method} ${url}`).toBe(403);
        expect(r.body.error.message).toMatch(/needs the admin role/);
      }
    }
  });
});

describe('users', () => {
  it('creates a user with a one-time password shown once, who must change it before anything else', async () => {
    const r = await call('POST', '/team/users', admin, {
      email: ' Bob@Example.com ',
      name: 'Bob',
      role: 'viewer',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.body).toMatchObject({ email: 'bob@example.com', name: 'Bob', role: 'viewer' });
    expect(r.body.password).toEqual(expect.any(String));
    const list = await call('GET', '/team/users', admin);
    const bob = list.body.items.find((u: { email: string }) => u.email === 'bob@example.com');
    expect(bob).toMatchObject({ role: 'viewer', must_change_password: true, disabled_at: null });
    expect(JSON.stringify(list.body)).not.toContain(r.body.password);
    const s = await signIn('bob@example.com', r.body.password);
    expect((await call('GET', '/roi', s)).status).toBe(403); // one-time password still unchanged
    const ev = await auditEvent('user_created', 'root-script');
    expect(ev).toMatchObject({ actor: 'root-script', details: { email: 'bob@example.com', role: 'viewer' } });
    expect(JSON.stringify(ev)).not.toContain(r.body.password);
  });

  it('400 naming the field for a bad e-mail or role; 409 for a taken e-mail; nothing written', async () => {
    const before = (await call('GET', '/team/users', admin)).body.items.length;
    const bad = await call('POST', '/team/users', admin, { email: 'not-an-email', role: 'viewer' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toMatchObject({ field: 'email' });
    const role = await call('POST', '/team/users', admin, { email: 'c@example.com', role: 'boss' });
    expect(role.status).toBe(400);
    expect(JSON.stringify(role.body.error.details)).toContain('role');
    const dup = await call('POST', '/team/users', admin, { email: 'ADA@example.com', role: 'viewer' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toMatch(/already exists/);
    expect((await call('GET', '/team/users', admin)).body.items).toHaveLength(before);
  });

  it('changes a role: the user’s open session gets it on the next request', async () => {
    await createUser(
      t.deps.db,
      { email: 'carl@example.com', role: 'viewer', password: PW },
      { actor: 'test', clock: systemClock },
    );
    const carl = await signIn('carl@example.com');
    expect((await call('GET', '/me', carl)).body.role).toBe('viewer');
    const r = await call('PATCH', `/team/users/${encodeURIComponent('carl@example.com')}`, admin, {
      role: 'ops',
    });
    expect(r).toMatchObject({
      status: 200,
      body: { email: 'carl@example.com', role: 'ops', previous_role: 'viewer' },
    });
    expect((await call('GET', '/me', carl)).body.role).toBe('ops');
    expect((await auditEvent('user_role_changed')).details).toMatchObject({
      email: 'carl@example.com',
      role: 'ops',
    });
    const bad = await call('PATCH', '/team/users/carl@example.com', admin, { role: 'owner' });
    expect(bad.status).toBe(400);
    const none = await call('PATCH', '/team/users/nobody@example.com', admin, { role: 'ops' });
    expect(none.status).toBe(404);
  });

  it('an admin cannot disable or demote themselves, nor reset their own password here', async () => {
    const ada = await signIn('ada@example.com');
    const self = await call('POST', '/team/users/ada@example.com/disable', ada);
    expect(self.status).toBe(403);
    expect(self.body.error.message).toMatch(/your own account/);
    const demote = await call('PATCH', '/team/users/ada@example.com', ada, { role: 'viewer' });
    expect(demote.status).toBe(403);
    const reset = await call('POST', '/team/users/ada@example.com/reset-password', ada);
    expect(reset.status).toBe(403);
    expect((await call('GET', '/me', ada)).body.role).toBe('admin');
  });

  it('refuses to disable or demote the last enabled admin, saying why', async () => {
    const off = await call('POST', '/team/users/ada@example.com/disable', admin);
    expect(off.status).toBe(409);
    expect(off.body.error.message).toMatch(/last enabled admin/);
    const demote = await call('PATCH', '/team/users/ada@example.com', admin, { role: 'ops' });
    expect(demote.status).toBe(409);
    // with a second admin, the first may go
    await call('PATCH', '/team/users/carl@example.com', admin, { role: 'admin' });
    expect((await call('PATCH', '/team/users/ada@example.com', admin, { role: 'ops' })).status).toBe(200);
    expect((await call('POST', '/team/users/carl@example.com/disable', admin)).status).toBe(409);
    await call('PATCH', '/team/users/ada@example.com', admin, { role: 'admin' });
  });

  it('disables (ending sessions) and enables again; resets a password to a new one-time one', async () => {
    await createUser(
      t.deps.db,
      { email: 'dora@example.com', role: 'ops', password: PW },
      { actor: 'test', clock: systemClock },
    );
    const dora = await signIn('dora@example.com');
    const off = await call('POST', '/team/users/dora@example.com/disable', admin);
    expect(off).toMatchObject({ status: 200, body: { email: 'dora@example.com', sessions_revoked: 1 } });
    expect((await call('GET', '/me', dora)).status).toBe(401);
    const on = await call('POST', '/team/users/dora@example.com/enable', admin);
    expect(on).toMatchObject({ status: 200, body: { email: 'dora@example.com', disabled_at: null } });
    const again = await signIn('dora@example.com');
    const reset = await call('POST', '/team/users/dora@example.com/reset-password', admin);
    expect(reset).toMatchObject({ status: 200, body: { email: 'dora@example.com', sessions_revoked: 1 } });
    expect(reset.headers['cache-control']).toBe('no-store');
    expect((await call('GET', '/me', again)).status).toBe(401);
    const fresh = await signIn('dora@example.com', reset.body.password);
    expect((await call('GET', '/me', fresh)).body.must_change_password).toBe(true);
    expect((await auditEvent('user_disabled')).details).toMatchObject({ email: 'dora@example.com' });
    expect((await auditEvent('password_reset')).details).toMatchObject({ email: 'dora@example.com' });
    expect((await auditEvent('user_enabled')).details).toMatchObject({ email: 'dora@example.com' });
  });
});

describe('API tokens', () => {
  it('creates one (secret shown once), lists it without the secret, records its use, revokes it', async () => {
    const r = await call('POST', '/team/tokens', admin, { name: 'sheets-sync', role: 'viewer' });
    expect(r.status).toBe(201);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.body).toMatchObject({ name: 'sheets-sync', role: 'viewer' });
    const secret: string = r.body.token;
    expect(secret).toMatch(/^awa_/);
    expect((await call('GET', '/me', `Bearer ${secret}`)).status).toBe(200);
    await t.deps.auth.flush(); // last use is written in batches
    const list = await call('GET', '/team/tokens', admin);
    expect(JSON.stringify(list.body)).not.toContain(secret);
    const row = list.body.items.find((x: { name: string }) => x.name === 'sheets-sync');
    expect(row).toMatchObject({ role: 'viewer', prefix: secret.slice(0, 8), revoked_at: null });
    expect(row.last_used_at).toEqual(expect.any(String));

    const dup = await call('POST', '/team/tokens', admin, { name: 'sheets-sync', role: 'ops' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.details).toMatchObject({ field: 'name' });
    const bad = await call('POST', '/team/tokens', admin, { name: 'has space', role: 'ops' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toMatchObject({ field: 'name', value: 'has space' });

    expect((await call('DELETE', '/team/tokens/sheets-sync', admin)).status).toBe(204);
    expect((await call('GET', '/me', `Bearer ${secret}`)).status).toBe(401);
    expect((await call('DELETE', '/team/tokens/sheets-sync', admin)).status).toBe(404);
    const all = await call('GET', '/team/tokens?include_revoked=true', admin);
    expect(all.body.items.find((x: { name: string }) => x.name === 'sheets-sync').revoked_at).toEqual(
      expect.any(String),
    );
    expect(
      (await call('GET', '/team/tokens', admin)).body.items.map((x: { name: string }) => x.name),
    ).not.toContain('sheets-sync');
    expect((await auditEvent('token_created')).details).toEqual({ name: 'sheets-sync', role: 'viewer' });
    expect((await auditEvent('token_revoked')).details).toEqual({ name: 'sheets-sync' });
  });
});

describe('the audit log', () => {
  it('filters by actor, action, day range and kind; pages newest first; 400 for a bad day', async () => {
    await auditEvent('token_revoked');
    const page = await call('GET', '/team/audit?page_size=2', admin);
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(2);
    expect(page.body.total).toBeGreaterThan(2);
    const [a, b] = page.body.items;
    expect(a.at >= b.at).toBe(true);
    const p2 = await call('GET', '/team/audit?page_size=2&page=2', admin);
    expect(p2.body.items.map((i: { id: number }) => i.id)).not.toContain(a.id);

    const olga = await call('GET', '/team/audit?actor=OLG', admin);
    expect(olga.body.total).toBeGreaterThan(0);
    expect(olga.body.items.every((i: { actor: string }) => i.actor === 'olga')).toBe(true);
    const writes = await call('GET', '/team/audit?only=writes&actor=root-script&page_size=200', admin);
    expect(
      writes.body.items.every((i: { method: string; event: string | null }) => i.method !== 'GET' || i.event),
    ).toBe(true);
    const posts = await call(
      'GET',
      `/team/audit?action=${encodeURIComponent('POST /api/v1/team/tokens')}`,
      admin,
    );
    expect(posts.body.items.every((i: { action: string }) => i.action === 'POST /api/v1/team/tokens')).toBe(
      true,
    );
    expect(posts.body.total).toBeGreaterThan(0);

    const today = String(a.at).slice(0, 10); // the day the newest entry was written
    expect((await call('GET', `/team/audit?from=${today}&to=${today}`, admin)).body.total).toBeGreaterThan(0);
    expect((await call('GET', '/team/audit?from=2000-01-01&to=2000-01-02', admin)).body.total).toBe(0);
    const bad = await call('GET', '/team/audit?from=2026-02-30', admin);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toMatchObject({ field: 'from', value: '2026-02-30' });
    const backwards = await call('GET', '/team/audit?from=2026-03-02&to=2026-03-01', admin);
    expect(backwards.status).toBe(400);
  });

  it('downloads the whole filtered set as CSV, in every batch', async () => {
    const r = await t.app.inject({
      method: 'GET',
      url: '/api/v1/team/audit.csv?only=events',
      headers: { authorization: admin },
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/text\/csv/);
    expect(r.headers['content-disposition']).toMatch(/awa-audit-\d{4}-\d{2}-\d{2}\.csv/);
    const lines = r.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('at,actor,role,action,method,route,status,latency_ms,request_id,ip,details');
    const total = (await call('GET', '/team/audit?only=events', admin)).body.total;
    expect(lines).toHaveLength(total + 1);
    expect(r.body).toContain('user_created');
  });
});
