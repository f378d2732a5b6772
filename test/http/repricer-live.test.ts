import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spApiEnv } from '../../src/domains/fees/testkit.ts';
import { roiSettingsFrom, updateRoi } from '../../src/domains/roi/roi.service.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { seedRepricerListing } from '../factories/index.ts';
import { type FakeListingsApi, startFakeListingsApi } from '../fakes/spapi-listings.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

// POST /pricing/apply with REPRICER_MODE=live: the applied prices go to Amazon (patchListingsItem).
// Floors as in src/domains/repricer/repricer.run.test.ts: cost 10 → 17.06; P-A goes 20.00 → 19.49.
const SELLER = 'A2EXAMPLE1SELLER';
// the factory dates listings, buy box points and fees from this instant: the app's "now" too
const AT = '2026-11-28T10:00:00Z';
let tdb: TestDatabase;
let api: FakeListingsApi;
let t: TestApp;
let ops: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  api = await startFakeListingsApi();
  t = await createTestApp({
    tdb,
    env: spApiEnv(api, { SP_API_SELLER_ID: SELLER, REPRICER_MODE: 'live', VAT_RATE: '0' }),
    clock: fixedClock(AT),
  });
  ops = await t.bearer('ops', 'olga');
  await seedRepricerListing(tdb.db, { sku: 'P-A' });
  await seedRepricerListing(tdb.db, { sku: 'P-X' });
  await seedRepricerListing(tdb.db, { sku: 'P-U', price: '19.49' }); // already at the decision
  await updateRoi(tdb.db, { settings: roiSettingsFrom(t.deps.config) });
});
afterAll(async () => {
  await t?.close();
  await api?.close();
  await tdb?.drop();
});

const apply = async (app: TestApp, body: unknown) => {
  const res = await app.app.inject({
    method: 'POST',
    url: '/api/v1/pricing/apply',
    headers: { authorization: app === t ? ops : await app.bearer('ops') },
    payload: body as object,
  });
  return { status: res.statusCode, body: res.json() };
};
const logRows = async () =>
  (
    await tdb.db.pool.query(
      `SELECT sku, new_price::text AS new, mode, submission_status AS status, submission_id, issues
       FROM price_updates_log ORDER BY id`,
    )
  ).rows;

describe('POST /pricing/apply in live mode', () => {
  it('a dry run submits nothing and reports no submission status', async () => {
    const r = await apply(t, { dry_run: true, items: [{ sku: 'P-A' }] });
    expect(r.status).toBe(200);
    expect(r.body.items[0]).not.toHaveProperty('submission_status');
    expect(r.body).not.toHaveProperty('submission');
    expect(api.calls).toHaveLength(0);
    expect(await logRows()).toEqual([]);
  });

  it('refuses more than 100 items (400, nothing written or sent): one call each would hold the request', async () => {
    const items = Array.from({ length: 101 }, (_, i) => ({ sku: `P-${i}` }));
    const r = await apply(t, { dry_run: false, items });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('at most 100 items per request');
    expect(api.calls).toHaveLength(0);
    expect(await logRows()).toEqual([]);
    // a dry run of the same request is fine: nothing goes to Amazon
    expect((await apply(t, { dry_run: true, items })).status).toBe(200);
  });

  it('submits each changed price and returns its submission_status per item', async () => {
    api.script('P-X', { kind: 'invalid', code: '8541', message: 'price is outside the allowed range' });
    const r = await apply(t, {
      items: [{ sku: 'P-A' }, { sku: 'P-X', price: '18.00' }, { sku: 'P-U' }, { sku: 'NOPE' }],
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      changed: 2,
      written: 2,
      submission: { submitted: 2, accepted: 1, rejected: 1, failed: 0 },
    });
    expect(r.body.items).toEqual([
      expect.objectContaining({ sku: 'P-A', new: '19.49', changed: true, submission_status: 'accepted' }),
      expect.objectContaining({ sku: 'P-X', new: '18.00', changed: true, submission_status: 'rejected' }),
      expect.objectContaining({ sku: 'P-U', changed: false, submission_status: 'not_submitted' }),
      { status: 'error', sku: 'NOPE', error: 'unknown sku: no active listing NOPE in marketplace DE' },
    ]);
    // submitted concurrently within the rate limit: the order of arrival is not part of the contract
    const calls = [...api.calls].sort((a, b) => a.sku.localeCompare(b.sku));
    expect(calls.map((c) => [c.sku, c.sellerId, c.token !== undefined])).toEqual([
      ['P-A', SELLER, true],
      ['P-X', SELLER, true],
    ]);
    expect(calls[1]!.body).toMatchObject({
      patches: [{ value: [{ our_price: [{ schedule: [{ value_with_tax: 18 }] }] }] }],
    });
    expect(await logRows()).toEqual([
      { sku: 'P-A', new: '19.49', mode: 'manual', status: 'accepted', submission_id: 'sub-1', issues: [] },
      {
        sku: 'P-X',
        new: '18.00',
        mode: 'manual',
        status: 'rejected',
        submission_id: 'sub-2',
        issues: [expect.objectContaining({ code: '8541', severity: 'ERROR' })],
      },
    ]);
  });

  it('refuses (503 naming the variables, nothing written) when live mode lacks SP-API credentials', async () => {
    const bare = await createTestApp({ tdb, env: { REPRICER_MODE: 'live' } });
    try {
      const before = (await logRows()).length;
      const r = await apply(bare, { items: [{ sku: 'P-A', price: '19.00' }] });
      expect(r.status).toBe(503);
      expect(r.body.error.message).toMatch(
        /REPRICER_MODE is live but SP_API_CLIENT_ID, SP_API_CLIENT_SECRET, SP_API_REFRESH_TOKEN, SP_API_SELLER_ID are not set; nothing was applied/,
      );
      expect(await logRows()).toHaveLength(before);
    } finally {
      await bare.close();
    }
  });
});
