import { describe, expect, it } from 'vitest';
import { offerNotification, offerNotificationBody } from '../../../test/fakes/offer-notifications.ts';
import { parseNotification } from './notification.parse.ts';

const AT = '2026-11-28T10:00:00.123Z';

type Obj = Record<string, unknown>;
/** The parts of a notification document the tests change. */
function parts(doc: Obj) {
  const n = (doc.Payload as Obj).AnyOfferChangedNotification as Obj;
  return {
    trigger: n.OfferChangeTrigger as Obj,
    summary: n.Summary as Obj,
    meta: doc.NotificationMetadata as Obj,
  };
}

describe('parseNotification', () => {
  it('reads the trigger, the new-condition buy box (landed price) and the new offer counts', () => {
    const body = offerNotificationBody({ asin: 'B000TEST01', at: AT, notificationId: 'n-1', buybox: 18.4 });
    expect(parseNotification(body)).toEqual({
      kind: 'offer_change',
      change: {
        notificationId: 'n-1',
        marketplaceId: 'A1PA6795UKMFR9',
        asin: 'B000TEST01',
        condition: 'new',
        changedAt: new Date(AT),
        buybox: { price: '18.40', currency: 'EUR' },
        offersNew: 3,
        offersFba: 2,
      },
    });
  });

  it('adds listing price and shipping when the landed price is missing', () => {
    const doc = offerNotification({ asin: 'B000TEST01', at: AT });
    const { summary } = parts(doc);
    summary.BuyBoxPrices = [
      {
        Condition: 'new',
        ListingPrice: { Amount: 17.1, CurrencyCode: 'EUR' },
        Shipping: { Amount: 2.2, CurrencyCode: 'EUR' },
      },
    ];
    const p = parseNotification(JSON.stringify(doc));
    expect(p.kind === 'offer_change' && p.change.buybox).toEqual({ price: '19.30', currency: 'EUR' });
  });

  it('has no buy box when only used offers hold one (or none is shown)', () => {
    const doc = offerNotification({ asin: 'B000TEST01', at: AT });
    const { summary } = parts(doc);
    summary.BuyBoxPrices = [{ Condition: 'Used', LandedPrice: { Amount: 9, CurrencyCode: 'EUR' } }];
    const p = parseNotification(JSON.stringify(doc));
    expect(p.kind === 'offer_change' && p.change.buybox).toBeNull();
    const none = parseNotification(offerNotificationBody({ asin: 'B000TEST01', at: AT, buybox: null }));
    expect(none.kind === 'offer_change' && none.change.buybox).toBeNull();
  });

  it('accepts camelCase keys at every level', () => {
    const camel = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(camel)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v).map(([k, x]) => [
                k === 'ASIN' ? k : k[0]!.toLowerCase() + k.slice(1),
                camel(x),
              ]),
            )
          : v;
    const body = JSON.stringify(
      camel(offerNotification({ asin: 'B000TEST01', at: AT, notificationId: 'n-2' })),
    );
    expect(parseNotification(body)).toMatchObject({
      kind: 'offer_change',
      change: { notificationId: 'n-2' },
    });
  });

  it('tells another notification type apart from a malformed message', () => {
    expect(
      parseNotification(JSON.stringify({ notificationType: 'ACCOUNT_STATUS_CHANGED', payload: {} })),
    ).toEqual({ kind: 'other_type', type: 'ACCOUNT_STATUS_CHANGED' });
  });

  it.each([
    ['not JSON', '{"Notification', 'body is not JSON'],
    ['an array', '[1]', 'body is not a JSON object'],
    ['no type', '{}', 'NotificationType is missing or not a string'],
  ])('refuses %s with a reason', (_, body, reason) => {
    expect(parseNotification(body)).toEqual({ kind: 'malformed', reason });
  });

  it.each([
    [
      'NotificationId',
      (d: Obj) => delete parts(d).meta.NotificationId,
      'NotificationMetadata.NotificationId',
    ],
    ['the payload', (d: Obj) => delete d.Payload, 'Payload is missing'],
    [
      'a bad ASIN',
      (d: Obj) => {
        parts(d).trigger.ASIN = 'not an asin';
      },
      'OfferChangeTrigger.ASIN is not an ASIN',
    ],
    [
      'a bad time',
      (d: Obj) => {
        parts(d).trigger.TimeOfOfferChange = 'yesterday';
      },
      'OfferChangeTrigger.TimeOfOfferChange is not a timestamp',
    ],
  ])('refuses a notification without %s', (_, mangle, reason) => {
    const doc = offerNotification({ asin: 'B000TEST01', at: AT });
    mangle(doc);
    const p = parseNotification(JSON.stringify(doc));
    expect(p.kind).toBe('malformed');
    expect(p.kind === 'malformed' && p.reason).toContain(reason);
  });
});
