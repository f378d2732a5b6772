import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { MemoryCache } from '../../platform/cache.ts';
import { fixedClock } from '../../platform/clock.ts';
import {
  ARGON2_PARAMS,
  checkPassword,
  generatePassword,
  hashPassword,
  needsRehash,
  verifyPassword,
} from './passwords.ts';
import { createUser, disableUser, ensureDemoAdmin, listUsers, resetPassword } from './users.service.ts';

let tdb: TestDatabase;
const ctx = { actor: 'cli:test', clock: fixedClock('2026-03-02T10:00:00Z') };

beforeAll(async () => {
  tdb = await createTestDatabase();
});

afterAll(async () => {
  await tdb.drop();
});

async function row(email: string) {
  const { rows } = await tdb.db.pool.query('SELECT * FROM users WHERE lower(email) = lower($1)', [email]);
  return rows[0];
}

async function count(table: string): Promise<number> {
  const { rows } = await tdb.db.pool.query(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0].n;
}

describe('passwords', () => {
  it('hashes with Argon2id at the configured cost and verifies only the right password', async () => {
    const h = await hashPassword('correct horse battery');
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(ARGON2_PARAMS).toEqual({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
    expect(await verifyPassword(h, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(h, 'correct horse batterY')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
    expect(await hashPassword('correct horse battery')).not.toBe(h); // salted
    expect(needsRehash(h)).toBe(false);
    expect(needsRehash(h.replace('t=2', 't=1'))).toBe(true);
  });

  it('generates readable, random passwords that pass the rules', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const p = generatePassword();
      expect(p).toMatch(/^([a-km-zA-HJ-NP-Z2-9]{5}-){3}[a-km-zA-HJ-NP-Z2-9]{5}$/);
      expect(p.replace(/-/g, '').length).toBeGreaterThanOrEqual(16);
      expect(() => checkPassword(p, 'a@b.example')).not.toThrow();
      seen.add(p);
    }
    expect(seen.size).toBe(50);
  });

  it('refuses short passwords, the e-mail, and one repeated character, saying which rule', () => {
    expect(() => checkPassword('short1234', 'a@b.example')).toThrow(
      /too short: it has 9 characters, at least 12/,
    );
    expect(() => checkPassword('Alice.Smith@Example.com', 'alice.smith@example.com')).toThrow(/e-mail/);
    expect(() => checkPassword('alice.smith.long', 'alice.smith.long@example.com')).toThrow(/e-mail/);
    expect(() => checkPassword('aaaaaaaaaaaaaaaa', 'a@b.example')).toThrow(/4 different characters/);
    expect(() => checkPassword('x'.repeat(200) + 'abcd'.repeat(20), 'a@b.example')).toThrow(/too long/);
    // 12 characters, counted as characters (not UTF-16 units)
    expect(() => checkPassword('ünïcødé-😀-ok', 'a@b.example')).not.toThrow();
    expect(() => checkPassword('😀😀😀😀😀😀abcd', 'a@b.example')).toThrow(/has 10 characters/);
  });
});

describe('users', () => {
  it('creates a user with a generated one-time password, stored only as a hash, and audits it', async () => {
    const u = await createUser(tdb.db, { email: ' Ann@Example.com ', role: 'ops', name: 'Ann' }, ctx);
    expect(u).toMatchObject({ email: 'ann@example.com', name: 'Ann', role: 'ops' });
    expect(u.password).toMatch(/^[\w]{5}-/);
    const r = await row('ann@example.com');
    expect(r.must_change_password).toBe(true);
    expect(r.password_hash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(r)).not.toContain(u.password);
    expect(await verifyPassword(r.password_hash, u.password!)).toBe(true);
    expect(new Date(r.created_at).toISOString()).toBe('2026-03-02T10:00:00.000Z');
    const { rows: audit } = await tdb.db.pool.query(
      "SELECT actor, event, method, details FROM audit_log WHERE event = 'user_created'",
    );
    expect(audit).toEqual([
      {
        actor: 'cli:test',
        event: 'user_created',
        method: 'CLI',
        details: { email: 'ann@example.com', role: 'ops', generated_password: true },
      },
    ]);
    expect(JSON.stringify(audit)).not.toContain(u.password);
  });

  it('takes a given password (not one-time) and returns no password', async () => {
    const u = await createUser(
      tdb.db,
      { email: 'bob@example.com', role: 'viewer', password: 'a perfectly fine passphrase' },
      ctx,
    );
    expect(u).toEqual({ email: 'bob@example.com', name: 'bob@example.com', role: 'viewer' });
    const r = await row('bob@example.com');
    expect(r.must_change_password).toBe(false);
    expect(await verifyPassword(r.password_hash, 'a perfectly fine passphrase')).toBe(true);
  });

  it('rejects bad role, bad e-mail, duplicates (any case) and weak passwords, writing nothing', async () => {
    const before = await count('users');
    const auditBefore = await count('audit_log');
    await expect(createUser(tdb.db, { email: 'c@example.com', role: 'root' }, ctx)).rejects.toThrow(
      /role must be one of viewer, ops, admin \(got "root"\)/,
    );
    for (const email of ['not-an-email', 'a@b', 'two@@example.com', 'sp ace@example.com', '']) {
      await expect(createUser(tdb.db, { email, role: 'viewer' }, ctx), email).rejects.toMatchObject({
        kind: 'invalid',
        message: expect.stringContaining('is not an e-mail address'),
      });
    }
    await expect(createUser(tdb.db, { email: 'ANN@example.COM', role: 'viewer' }, ctx)).rejects.toMatchObject(
      {
        kind: 'conflict',
        message: 'a user with e-mail "ann@example.com" already exists',
      },
    );
    await expect(
      createUser(tdb.db, { email: 'weak@example.com', role: 'viewer', password: 'short' }, ctx),
    ).rejects.toMatchObject({ kind: 'invalid', details: { rule: 'min_length' } });
    expect(await count('users')).toBe(before);
    expect(await count('audit_log')).toBe(auditBefore);
  });

  it('lists users without their hashes', async () => {
    const items = await listUsers(tdb.db);
    expect(items.map((u) => u.email)).toEqual(expect.arrayContaining(['ann@example.com', 'bob@example.com']));
    expect(JSON.stringify(items)).not.toContain('argon2');
    expect(items.find((u) => u.email === 'ann@example.com')).toMatchObject({
      role: 'ops',
      must_change_password: true,
      disabled_at: null,
      last_login_at: null,
    });
  });

  it('disables a user (unknown e-mail: not_found) and audits it', async () => {
    await expect(disableUser(tdb.db, new MemoryCache(), 'nobody@example.com', ctx)).rejects.toMatchObject({
      kind: 'not_found',
      message: expect.stringContaining('nobody@example.com'),
    });
    const r = await disableUser(tdb.db, new MemoryCache(), 'BOB@example.com', ctx);
    expect(r).toEqual({
      email: 'bob@example.com',
      disabled_at: '2026-03-02T10:00:00.000Z',
      sessions_revoked: 0,
    });
    expect((await row('bob@example.com')).disabled_at).not.toBeNull();
    const { rows } = await tdb.db.pool.query(
      "SELECT count(*)::int AS n FROM audit_log WHERE event = 'user_disabled'",
    );
    expect(rows[0].n).toBe(1);
  });

  it('resets a password: generated means one-time; given must pass the rules; the old one stops working', async () => {
    const old = (await row('ann@example.com')).password_hash;
    const gen = await resetPassword(tdb.db, new MemoryCache(), { email: 'ann@example.com' }, ctx);
    expect(gen.password).toBeDefined();
    let r = await row('ann@example.com');
    expect(r.password_hash).not.toBe(old);
    expect(r.must_change_password).toBe(true);
    expect(await verifyPassword(r.password_hash, gen.password!)).toBe(true);

    await expect(
      resetPassword(
        tdb.db,
        new MemoryCache(),
        { email: 'ann@example.com', password: 'ann@example.com' },
        ctx,
      ),
    ).rejects.toMatchObject({ kind: 'invalid', details: { rule: 'not_email' } });
    expect((await row('ann@example.com')).password_hash).toBe(r.password_hash);

    const given = await resetPassword(
      tdb.db,
      new MemoryCache(),
      { email: 'ann@example.com', password: 'my own long passphrase' },
      ctx,
    );
    expect(given.password).toBeUndefined();
    r = await row('ann@example.com');
    expect(r.must_change_password).toBe(false);
    expect(await verifyPassword(r.password_hash, 'my own long passphrase')).toBe(true);
    await expect(
      resetPassword(tdb.db, new MemoryCache(), { email: 'x@example.com' }, ctx),
    ).rejects.toMatchObject({
      kind: 'not_found',
    });
  });

  it('the demo admin is created, then re-enabled with a fresh password on every call', async () => {
    const a = await ensureDemoAdmin(tdb.db, new MemoryCache(), ctx);
    expect(a).toMatchObject({ email: 'demo@awa.example', name: 'Demo admin', role: 'admin' });
    await disableUser(tdb.db, new MemoryCache(), 'demo@awa.example', ctx);
    const b = await ensureDemoAdmin(tdb.db, new MemoryCache(), ctx);
    expect(b.password).not.toBe(a.password);
    const r = await row('demo@awa.example');
    expect(r).toMatchObject({
      role: 'admin',
      must_change_password: false,
      disabled_at: null,
      name: 'Demo admin',
    });
    expect(await verifyPassword(r.password_hash, b.password!)).toBe(true);
    expect(await verifyPassword(r.password_hash, a.password!)).toBe(false);
  });
});
