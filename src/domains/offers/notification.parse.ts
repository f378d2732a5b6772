/**
 * SP-API `ANY_OFFER_CHANGED` notifications (payload version 1.0) as Amazon puts them on the SQS
 * queue: the message body is the notification JSON {NotificationVersion, NotificationType,
 * PayloadVersion, EventTime, Payload: {AnyOfferChangedNotification: {SellerId, OfferChangeTrigger,
 * Summary, Offers}}, NotificationMetadata: {NotificationId, PublishTime, …}}. Amazon writes the keys
 * in PascalCase; camelCase is accepted too (other notification types use it), nothing else is guessed.
 */

export interface OfferChange {
  notificationId: string;
  marketplaceId: string;
  asin: string;
  /** OfferChangeTrigger.ItemCondition, lower-case (`new`, `used`, …). */
  condition: string;
  /** OfferChangeTrigger.TimeOfOfferChange: when the offers changed on Amazon (orders the changes). */
  changedAt: Date;
  /** The new-condition buy box's landed price (listing + shipping, as Keepa's buy box series). */
  buybox: { price: string; currency: string } | null;
  /** Summary.NumberOfOffers for condition new: all channels, and fulfilled by Amazon. */
  offersNew: number | null;
  offersFba: number | null;
}

export type ParsedMessage =
  | { kind: 'offer_change'; change: OfferChange }
  /** A well-formed notification of another type (a shared queue): nothing for AWA to do. */
  | { kind: 'other_type'; type: string }
  | { kind: 'malformed'; reason: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `o.Key`, else `o.key`. */
function field(o: Obj, key: string): unknown {
  return key in o ? o[key] : o[key[0]!.toLowerCase() + key.slice(1)];
}

class Malformed extends Error {}

function obj(o: Obj, key: string, path: string): Obj {
  const v = field(o, key);
  if (!isObj(v)) throw new Malformed(`${path}${key} is missing or not an object`);
  return v;
}

function str(o: Obj, key: string, path: string): string {
  const v = field(o, key);
  if (typeof v !== 'string' || v.trim() === '')
    throw new Malformed(`${path}${key} is missing or not a string`);
  return v.trim();
}

function time(o: Obj, key: string, path: string): Date {
  const v = str(o, key, path);
  const d = new Date(v);
  if (Number.isNaN(d.getTime()))
    throw new Malformed(`${path}${key} is not a timestamp ("${v.slice(0, 40)}")`);
  return d;
}

const ASIN = /^[A-Z0-9]{10}$/;

/** A money amount as a 2-decimal string; Amount is a JSON number (e.g. 19.99). */
function money(v: unknown): { price: string; currency: string } | null {
  if (!isObj(v)) return null;
  const amount = Number(field(v, 'Amount'));
  const currency = field(v, 'CurrencyCode');
  if (!(amount > 0) || typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) return null;
  return { price: amount.toFixed(2), currency };
}

const isNew = (c: unknown) => typeof c === 'string' && c.toLowerCase() === 'new';

function newBuybox(summary: Obj): OfferChange['buybox'] {
  const prices = field(summary, 'BuyBoxPrices');
  if (!Array.isArray(prices)) return null;
  const p = prices.find((x): x is Obj => isObj(x) && isNew(field(x, 'Condition')));
  if (!p) return null;
  const landed = money(field(p, 'LandedPrice'));
  if (landed) return landed;
  // LandedPrice is documented as listing + shipping; add them when only the parts are sent
  const listing = money(field(p, 'ListingPrice'));
  if (!listing) return null;
  const shipping = money(field(p, 'Shipping'));
  const cents =
    Math.round(Number(listing.price) * 100) + (shipping ? Math.round(Number(shipping.price) * 100) : 0);
  return { price: (cents / 100).toFixed(2), currency: listing.currency };
}

function newOffers(summary: Obj): { all: number | null; fba: number | null } {
  const counts = field(summary, 'NumberOfOffers');
  if (!Array.isArray(counts)) return { all: null, fba: null };
  let all = 0;
  let fba = 0;
  for (const c of counts) {
    if (!isObj(c) || !isNew(field(c, 'Condition'))) continue;
    const n = Number(field(c, 'OfferCount'));
    if (!Number.isInteger(n) || n < 0) continue;
    all += n;
    if (String(field(c, 'FulfillmentChannel')).toLowerCase() === 'amazon') fba += n;
  }
  return { all, fba };
}

/** One SQS message body → an offer change, another type of notification, or why it is unusable. */
export function parseNotification(body: string): ParsedMessage {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return { kind: 'malformed', reason: 'body is not JSON' };
  }
  try {
    if (!isObj(doc)) throw new Malformed('body is not a JSON object');
    const type = str(doc, 'NotificationType', '');
    if (type !== 'ANY_OFFER_CHANGED') return { kind: 'other_type', type };
    const meta = obj(doc, 'NotificationMetadata', '');
    const notificationId = str(meta, 'NotificationId', 'NotificationMetadata.');
    const payload = obj(doc, 'Payload', '');
    const n = obj(payload, 'AnyOfferChangedNotification', 'Payload.');
    const trigger = obj(n, 'OfferChangeTrigger', 'AnyOfferChangedNotification.');
    const at = 'OfferChangeTrigger.';
    const asin = str(trigger, 'ASIN', at).toUpperCase();
    if (!ASIN.test(asin))
      throw new Malformed(`OfferChangeTrigger.ASIN is not an ASIN ("${asin.slice(0, 20)}")`);
    const summary = field(n, 'Summary');
    const offers = isObj(summary) ? newOffers(summary) : { all: null, fba: null };
    return {
      kind: 'offer_change',
      change: {
        notificationId,
        marketplaceId: str(trigger, 'MarketplaceId', at),
        asin,
        condition: str(trigger, 'ItemCondition', at).toLowerCase(),
        changedAt: time(trigger, 'TimeOfOfferChange', at),
        buybox: isObj(summary) ? newBuybox(summary) : null,
        offersNew: offers.all,
        offersFba: offers.fba,
      },
    };
  } catch (err) {
    if (err instanceof Malformed) return { kind: 'malformed', reason: err.message };
    throw err;
  }
}
