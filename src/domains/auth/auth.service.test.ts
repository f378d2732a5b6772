import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { MemoryCache } from '../../platform/cache.ts';
import { Authenticator, createToken, hashToken, hasRole, listTokens, revokeToken } from './auth.service.ts';

let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await createTestDatabase();
});

afterAll(async () => {
  await tdb.drop();
});

describe('tokens', () => {
  it('stores only a hash and authenticates the plain token', async () => {
    const t = await createToken(tdb.db, { name: 'alice', role: 'ops' });
    expect(t.token).toMatch(/^awa_[A-Za-z0-9_-]{43}$/);
    const { rows } = await tdb.db.pool.query('SELECT token_hash, prefix FROM api_tokens WHERE name = $1', [
      'alice',
    ]);
    expect(rows[0].token_hash).toBe(hashToken(t.token));
    expect(JSON.stringify(rows)).not.toContain(t.token);
    const auth = new Authenticator(tdb.db, new MemoryCache());
    expect(await auth.authenticate(t.token)).toMatchObject({ name: 'alice', role: 'ops' });
    expect(await auth.authenticate(`${t.token}x`)).toBeUndefined();
  });

  it('rejects bad roles, bad names and duplicate active names', async () => {
    await expect(createToken(tdb.db, { name: 'x', role: 'root' })).rejects.toThrow(/viewer, ops, admin/);
    await expect(createToken(tdb.db, { name: 'has space', role: 'viewer' })).rejects.toMatchObject({
      kind: 'invalid',
    });
    await createToken(tdb.db, { name: 'dup', role: 'viewer' });
    await expect(createToken(tdb.db, { name: 'DUP', role: 'viewer' })).rejects.toMatchObject({
      kind: 'conflict',
    });
  });

  it('revoking stops authentication at once through the shared cache, and frees the name', async () => {
    const cache = new MemoryCache();
    const auth = new Authenticator(tdb.db, cache);
    const t = await createToken(tdb.db, { name: 'bob', role: 'admin' });
    expect(await auth.authenticate(t.token)).toBeDefined(); // now cached
    await revokeToken(tdb.db, cache, 'bob');
    expect(await auth.authenticate(t.token)).toBeUndefined();
    await expect(revokeToken(tdb.db, cache, 'bob')).rejects.toMatchObject({ kind: 'not_found' });
    const again = await createToken(tdb.db, { name: 'bob', role: 'viewer' });
    expect(await auth.authenticate(again.token)).toMatchObject({ role: 'viewer' });
    const all = await listTokens(tdb.db, true);
    expect(all.filter((x) => x.name === 'bob').map((x) => Boolean(x.revoked_at))).toEqual([true, false]);
    expect((await listTokens(tdb.db)).filter((x) => x.name === 'bob')).toHaveLength(1);
  });

  it('records last use in batches', async () => {
    const auth = new Authenticator(tdb.db, new MemoryCache());
    const t = await createToken(tdb.db, { name: 'carol', role: 'viewer' });
    await auth.authenticate(t.token);
    expect((await listTokens(tdb.db)).find((x) => x.name === 'carol')?.last_used_at).toBeNull();
    await auth.flush();
    expect((await listTokens(tdb.db)).find((x) => x.name === 'carol')?.last_used_at).not.toBeNull();
  });

  it('orders roles viewer < ops < admin', () => {
    expect(hasRole('admin', 'ops')).toBe(true);
    expect(hasRole('ops', 'ops')).toBe(true);
    expect(hasRole('ops', 'admin')).toBe(false);
    expect(hasRole('viewer', 'ops')).toBe(false);
  });
});
