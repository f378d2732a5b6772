import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { offerNotificationBody } from '../../../test/fakes/offer-notifications.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { lastPoints } from '../catalog/keepa.repo.ts';
import { insertMetrics } from '../catalog/products.repo.ts';
import { loadInputs } from '../repricer/inputs.repo.ts';
import { AT, type HandClock, handClock, OFFER_TABLES, offersDeps, seedListings } from './offers.testkit.ts';
import { recordMessage } from './record.service.ts';

// Recording notifications: market data written once per NotificationId, in TimeOfOfferChange order.
const ASIN = 'B000OFFER1';
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

const at = (minutes: number) => new Date(Date.parse(AT) + minutes * 60_000);
const record = (body: string, id = 'm-1') => recordMessage(offersDeps(tdb, clock), { id, body });
const history = async () =>
  (
    await tdb.db.pool.query(
      `SELECT captured_at, price::text, source FROM buybox_history WHERE asin = $1 AND source = 'notification'
       ORDER BY captured_at`,
      [ASIN],
    )
  ).rows;
const currentBuybox = async () =>
  (await loadInputs(tdb.db.pool, { marketplace: 'DE', currency: 'EUR', now: at(60) })).find(
    (r) => r.asin === ASIN,
  )?.buybox;

describe('recordMessage', () => {
  it('adds the buy box and the new offer counts at TimeOfOfferChange and owes a decision', async () => {
    const r = await record(
      offerNotificationBody({ asin: ASIN, at: at(-5), buybox: 18.9, notificationId: 'n-1' }),
    );
    expect(r).toEqual({ outcome: 'applied', asin: ASIN, owed: true });
    expect(await history()).toEqual([{ captured_at: at(-5), price: '18.90', source: 'notification' }]);
    const { rows: metrics } = await tdb.db.pool.query(
      'SELECT captured_at, offers_new, offers_fba, sales_rank, source FROM product_metrics WHERE asin = $1',
      [ASIN],
    );
    expect(metrics).toEqual([
      { captured_at: at(-5), offers_new: 3, offers_fba: 2, sales_rank: null, source: 'notification' },
    ]);
    const { rows: pending } = await tdb.db.pool.query('SELECT asin, events, due_at FROM offer_pending');
    expect(pending).toEqual([{ asin: ASIN, events: 1, due_at: new Date(clock.ms() + 2000) }]);
  });

  it('does nothing for a duplicate NotificationId (a redelivery)', async () => {
    const body = offerNotificationBody({ asin: ASIN, at: at(-5), notificationId: 'n-dup' });
    await record(body, 'm-1');
    expect(await record(body, 'm-2')).toEqual({ outcome: 'duplicate', asin: ASIN });
    expect(await history()).toHaveLength(1);
    const { rows } = await tdb.db.pool.query('SELECT events FROM offer_pending');
    expect(rows).toEqual([{ events: 1 }]);
  });

  it('keeps an out-of-order change in the history without rolling the current buy box back', async () => {
    await seedListings(tdb, [ASIN]);
    await record(offerNotificationBody({ asin: ASIN, at: at(-1), buybox: 18.0, notificationId: 'newer' }));
    const late = await record(
      offerNotificationBody({ asin: ASIN, at: at(-3), buybox: 19.0, notificationId: 'older' }),
    );
    expect(late).toEqual({ outcome: 'stale', asin: ASIN, owed: false });
    expect((await history()).map((h) => h.price)).toEqual(['19.00', '18.00']);
    expect(await currentBuybox()).toBe('18.00');
    const { rows } = await tdb.db.pool.query('SELECT events FROM offer_pending');
    expect(rows).toEqual([{ events: 1 }]);
  });

  it("does not hide Keepa's history: Keepa's newest point counts only its own", async () => {
    const metric = {
      asin: ASIN,
      salesRank: 100,
      offersNew: 4,
      fbaPrice: null,
      amazonOnListing: null,
      rating: null,
      reviews: null,
    };
    await insertMetrics(tdb.db.pool, 'DE', [{ ...metric, at: at(-600) }]);
    await record(offerNotificationBody({ asin: ASIN, at: at(-1) }));
    const last = await lastPoints(tdb.db.pool, 'DE', [ASIN]);
    expect(last.get(ASIN)).toEqual({ buybox: undefined, metrics: at(-600).getTime() });
  });

  it('records but ignores used-condition changes and unknown marketplaces', async () => {
    const used = await record(offerNotificationBody({ asin: ASIN, at: at(-1), condition: 'used' }));
    const elsewhere = await record(
      offerNotificationBody({ asin: ASIN, at: at(-1), marketplaceId: 'AXXXXXXXXXXXX' }),
    );
    expect([used.outcome, elsewhere.outcome]).toEqual(['ignored', 'ignored']);
    expect(await history()).toEqual([]);
    const { rows } = await tdb.db.pool.query('SELECT note FROM offer_notifications ORDER BY note');
    expect(rows.map((r) => r.note)).toEqual([
      'condition used',
      'marketplace AXXXXXXXXXXXX is not one AWA knows',
    ]);
  });

  it('records offers of another marketplace of the region without owing a decision', async () => {
    const r = await record(
      offerNotificationBody({ asin: ASIN, at: at(-1), marketplaceId: 'A13V1IB3VIYZZH' }),
    );
    expect(r).toEqual({ outcome: 'applied', asin: ASIN, owed: false });
    const { rows } = await tdb.db.pool.query(
      "SELECT marketplace FROM buybox_history WHERE source = 'notification'",
    );
    expect(rows).toEqual([{ marketplace: 'FR' }]);
  });

  it('does not store a buy box in a currency other than the marketplace one', async () => {
    const r = await record(offerNotificationBody({ asin: ASIN, at: at(-1), currency: 'GBP' }));
    expect(r.outcome).toBe('applied');
    expect(await history()).toEqual([]);
    const { rows } = await tdb.db.pool.query('SELECT note FROM offer_notifications');
    expect(rows[0].note).toContain('buy box in GBP, not EUR');
  });

  it('records a malformed message with its reason', async () => {
    expect(await record('{"NotificationType": "ANY_OFFER_CHANGED"}', 'bad-1')).toEqual({
      outcome: 'rejected',
      reason: 'NotificationMetadata is missing or not an object',
    });
    const { rows } = await tdb.db.pool.query('SELECT message_id, reason, body FROM offer_rejects');
    expect(rows).toEqual([
      {
        message_id: 'bad-1',
        reason: 'NotificationMetadata is missing or not an object',
        body: '{"NotificationType": "ANY_OFFER_CHANGED"}',
      },
    ]);
  });

  it('leaves other notification types alone', async () => {
    const r = await record(JSON.stringify({ NotificationType: 'FEE_PROMOTION' }));
    expect(r).toEqual({ outcome: 'other_type', type: 'FEE_PROMOTION' });
  });

  it('debounces: each notification moves the decision to debounce after it, at most 2 × debounce after the first', async () => {
    const start = clock.ms();
    for (let i = 0; i < 5; i++) {
      await record(offerNotificationBody({ asin: ASIN, at: at(i) }));
      clock.advance(900);
    }
    const { rows } = await tdb.db.pool.query('SELECT events, first_at, due_at FROM offer_pending');
    expect(rows).toEqual([{ events: 5, first_at: new Date(start), due_at: new Date(start + 4000) }]);
  });
});
