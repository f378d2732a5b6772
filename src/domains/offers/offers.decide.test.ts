import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { offerNotificationBody } from '../../../test/fakes/offer-notifications.ts';
import { startFakeListingsApi } from '../../../test/fakes/spapi-listings.ts';
import { maxObservedRate } from '../../../test/fakes/spapi-rate.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { fakeTime } from '../../../test/helpers/http.ts';
import { spApiEnv } from '../fees/testkit.ts';
import { createSubmitter } from '../repricer/listings.client.ts';
import { decideDue } from './decide.service.ts';
import {
  AT,
  type HandClock,
  handClock,
  logRows,
  OFFER_TABLES,
  offersDeps,
  seedListings,
} from './offers.testkit.ts';
import { claimDue, finishClaims, owe } from './pending.repo.ts';
import { recordMessage } from './record.service.ts';

// Deciding notified ASINs: the repricer's own decision for their listings, once per debounced burst.
let tdb: TestDatabase;
let clock: HandClock;

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});
beforeEach(async () => {
  await tdb.db.pool.query(`TRUNCATE ${OFFER_TABLES} CASCADE`);
  clock = handClock();
});

const deps = (worker = 'w1', env: Record<string, string> = {}) => ({
  ...offersDeps(tdb, clock, env),
  worker,
});
const notify = (asin: string, buybox = 19.0, at = AT) =>
  recordMessage(offersDeps(tdb, clock), { id: 'm', body: offerNotificationBody({ asin, at, buybox }) });
const decisions = async () =>
  (
    await tdb.db.pool.query(
      'SELECT asins, notifications, mode, status FROM offer_decisions ORDER BY decided_at',
    )
  ).rows;

describe('decideDue', () => {
  it('turns a burst of 20 notifications for one ASIN into one logged decision for its SKU', async () => {
    const [sku] = await seedListings(tdb, ['B000BURST1', 'B000OTHER1']);
    for (let i = 0; i < 20; i++) {
      await notify('B000BURST1', 19.0 - i * 0.01, new Date(Date.parse(AT) - 60_000 + i * 1000).toISOString());
      clock.advance(50);
    }
    expect(await decideDue(deps(), 'dry_run')).toBeUndefined(); // still within the debounce
    clock.advance(2000);
    const d = await decideDue(deps(), 'dry_run');
    expect(d).toMatchObject({ asins: ['B000BURST1'], notifications: 20, status: 'success' });
    expect(await decideDue(deps(), 'dry_run')).toBeUndefined();
    const log = await logRows(tdb);
    // only the notified ASIN's listing, decided on the newest buy box (18.81 → beat it by 0.01)
    expect(log).toEqual([{ run_id: d!.runId, sku, final_price: '18.80', mode: 'dry_run' }]);
    expect(await decisions()).toEqual([
      { asins: ['B000BURST1'], notifications: 20, mode: 'dry_run', status: 'success' },
    ]);
  });

  it('records the price in apply mode, as the scheduled run does', async () => {
    const [sku] = await seedListings(tdb, ['B000APPLY1']);
    await notify('B000APPLY1');
    clock.advance(2000);
    await decideDue(deps(), 'apply');
    const { rows } = await tdb.db.pool.query(
      'SELECT sku, new_price::text, mode, submission_status FROM price_updates_log',
    );
    expect(rows).toEqual([{ sku, new_price: '18.99', mode: 'apply', submission_status: 'not_submitted' }]);
  });

  it('trips the breaker like the scheduled run: a glitch-sized drop writes no price', async () => {
    // as in repricer.run.test.ts: floor 4.88, max step 50 %, so 20.00 → 10.00 is a drop of over 20 %
    await seedListings(tdb, ['B000GLITCH'], '1.00');
    await notify('B000GLITCH', 9.99);
    clock.advance(2000);
    const d = await decideDue(deps('w1', { REPRICER_MAX_STEP_PCT: '50' }), 'apply');
    expect(d?.status).toBe('tripped');
    expect((await tdb.db.pool.query('SELECT * FROM price_updates_log')).rows).toEqual([]);
    const { rows } = await tdb.db.pool.query('SELECT guards FROM repricer_log');
    expect(rows[0].guards).toContain('breaker');
  });

  it('two workers never decide the same ASIN twice', async () => {
    const asins = Array.from({ length: 8 }, (_, i) => `B000PAR00${i}`);
    await seedListings(tdb, asins);
    for (const a of asins) await notify(a);
    clock.advance(2000);
    const runs = await Promise.all(
      ['w1', 'w2', 'w1', 'w2', 'w3', 'w3'].map((w) => decideDue(deps(w), 'dry_run')),
    );
    const decided = runs.flatMap((r) => r?.asins ?? []);
    expect(decided.sort()).toEqual(asins);
    const log = await logRows(tdb);
    expect(log).toHaveLength(8);
    expect(new Set(log.map((r) => r.sku)).size).toBe(8);
  });

  it("keeps a claimed ASIN from others until the claimer's lease runs out", async () => {
    await seedListings(tdb, ['B000LEASE1']);
    await notify('B000LEASE1');
    clock.advance(2000);
    const leaseUntil = new Date(clock.ms() + 300_000);
    const claim = (worker: string) =>
      claimDue(tdb.db.pool, { marketplace: 'DE', now: clock.now(), limit: 10, worker, leaseUntil });
    expect(await claim('dead')).toHaveLength(1); // claimed, then the worker died
    expect(await decideDue(deps('w2'), 'dry_run')).toBeUndefined();
    clock.advance(300_001);
    expect(await decideDue(deps('w2'), 'dry_run')).toMatchObject({ asins: ['B000LEASE1'] });
  });

  it('decides once more when a notification arrives while its ASIN is being decided', async () => {
    await seedListings(tdb, ['B000AGAIN1']);
    await notify('B000AGAIN1');
    clock.advance(2000);
    const leaseUntil = new Date(clock.ms() + 300_000);
    const claimed = await claimDue(tdb.db.pool, {
      marketplace: 'DE',
      now: clock.now(),
      limit: 10,
      worker: 'w1',
      leaseUntil,
    });
    await owe(tdb.db.pool, { marketplace: 'DE', asin: 'B000AGAIN1', at: clock.now(), debounceMs: 2000 });
    await finishClaims(tdb.db.pool, { marketplace: 'DE', worker: 'w1', claimed, debounceMs: 2000 });
    const { rows } = await tdb.db.pool.query('SELECT events, claimed_by, due_at FROM offer_pending');
    expect(rows).toEqual([{ events: 1, claimed_by: null, due_at: new Date(clock.ms() + 2000) }]);
  });

  it('submits in live mode through the Listings Items API within its rate', async () => {
    const time = fakeTime(Date.parse(AT));
    const api = await startFakeListingsApi({ now: time.nowMs });
    try {
      const asins = Array.from({ length: 12 }, (_, i) => `B000LIVE${String(i).padStart(2, '0')}`);
      await seedListings(tdb, asins);
      for (const a of asins) await notify(a);
      clock.advance(2000);
      const env = spApiEnv(api, { SP_API_SELLER_ID: 'A2EXAMPLE1SELLER', REPRICER_MODE: 'live' });
      const d0 = deps('w1', env);
      const submitter = createSubmitter(d0.config, {
        tuning: { clock: time.clock, sleep: time.sleep, random: () => 0.5, concurrency: 1 },
      });
      const d = await decideDue({ ...d0, submitter: () => submitter }, 'live');
      expect(d).toMatchObject({ status: 'success', counts: { submitted: 12, accepted: 12 } });
      expect(api.calls.map((c) => c.sku).sort()).toEqual(asins.map((a) => `SKU-${a}`));
      expect(
        maxObservedRate(
          api.calls.map((c) => c.at),
          1000,
        ),
      ).toBeLessThanOrEqual(5);
      const { rows } = await tdb.db.pool.query(
        "SELECT count(*)::int AS n FROM price_updates_log WHERE submission_status = 'accepted'",
      );
      expect(rows[0].n).toBe(12);
    } finally {
      await api.close();
    }
  });
});
