import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { MemoryCache } from '../../platform/cache.ts';
import { connectDb } from '../../platform/db/pool.ts';
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

  it('answers from the in-process cache without waiting once a token was looked up, and forgets a revoked one', async () => {
    const cache = new MemoryCache();
    const auth = new Authenticator(tdb.db, cache);
    const t = await createToken(tdb.db, { name: 'fred', role: 'viewer' });
    expect(auth.cachedToken('not-a-token')).toBeNull();
    expect(auth.cachedToken(t.token)).toBeUndefined(); // never looked up: authenticate() must
    await auth.authenticate(t.token);
    expect(auth.cachedToken(t.token)).toMatchObject({ name: 'fred', role: 'viewer' });
    await auth.authenticate(`${t.token}x`);
    expect(auth.cachedToken(`${t.token}x`)).toBeNull(); // known bad, also without a lookup
    await revokeToken(tdb.db, cache, 'fred');
    expect(auth.cachedToken(t.token)).toBeUndefined();
    expect(await auth.authenticate(t.token)).toBeUndefined();
    expect(auth.cachedToken(t.token)).toBeNull();
    // a cache in another process (Redis) cannot answer without waiting
    const remote = new Authenticator(tdb.db, {
      kind: 'redis',
      get: async () => undefined,
      set: async () => {},
      del: async () => {},
    });
    expect(remote.cachedToken(t.token)).toBeUndefined();
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

describe('a token revoked by another process (own connection and cache, like the CLI)', () => {
  it('is refused by a listening authenticator as soon as the notice arrives, not after its cache minute', async () => {
    const auth = new Authenticator(tdb.db, new MemoryCache());
    await auth.listen();
    const other = await connectDb(tdb.url, { max: 1 });
    try {
      const t = await createToken(tdb.db, { name: 'dora', role: 'viewer' });
      expect(await auth.authenticate(t.token)).toBeDefined(); // cached for a minute: listening
      await revokeToken(other, new MemoryCache(), 'dora');
      await expect.poll(() => auth.authenticate(t.token), { interval: 10 }).toBeUndefined();
    } finally {
      await other.close();
      await auth.unlisten();
    }
  });

  it('is refused without the listener once the short (5 s) cache entry runs out', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const auth = new Authenticator(tdb.db, new MemoryCache()); // never hears revocations
      const t = await createToken(tdb.db, { name: 'ezra', role: 'viewer' });
      expect(await auth.authenticate(t.token)).toBeDefined();
      await revokeToken(tdb.db, new MemoryCache(), 'ezra');
      vi.setSystemTime(Date.now() + 4_000);
      expect(await auth.authenticate(t.token)).toBeDefined(); // the bound, not an instant refusal
      vi.setSystemTime(Date.now() + 1_001);
      expect(await auth.authenticate(t.token)).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });
});
