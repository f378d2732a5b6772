import { currencyOf, marketplaceCodeOf } from '../../platform/amazon/marketplaces.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/pool.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import { recordBuybox, recordMetrics } from '../catalog/catalog.service.ts';
import { type OfferChange, parseNotification } from './notification.parse.ts';
import {
  insertNotification,
  insertReject,
  type NotificationStatus,
  newerRecorded,
  trimBefore,
} from './offers.repo.ts';
import { owe } from './pending.repo.ts';

/** Where notified points are marked in buybox_history and product_metrics. */
export const NOTIFICATION_SOURCE = 'notification';

export type RecordOutcome =
  | { outcome: NotificationStatus; asin: string; owed: boolean }
  | { outcome: 'duplicate'; asin: string }
  | { outcome: 'rejected'; reason: string }
  | { outcome: 'other_type'; type: string };

export interface RecordDeps {
  db: Db;
  config: Config;
  clock: Clock;
}

/** Why a notification leaves no market data (null: it does). */
function ignoredBecause(c: OfferChange, marketplace: string | undefined): string | null {
  if (!marketplace) return `marketplace ${c.marketplaceId} is not one AWA knows`;
  // AWA sells new goods (wholesale): used/collectible offers are another market
  if (c.condition !== 'new') return `condition ${c.condition}`;
  return null;
}

/**
 * Records one queue message, all in one transaction, so the caller deletes the message only once
 * this committed (a crash before that = redelivery, and the NotificationId makes the second time a
 * no-op). An offer change:
 * - is stored once by NotificationId (`duplicate` otherwise, nothing else happens);
 * - adds its buy box (new condition, landed price, in the marketplace's currency) to buybox_history
 *   and its offer counts to product_metrics at its TimeOfOfferChange, so the history keeps every
 *   notified change and "current" (the newest point) never moves back for a late arrival;
 * - `stale` when a later change of the ASIN is already recorded: kept in the history, no decision;
 * - otherwise, for the marketplace the repricer prices, owes a (debounced) decision for the ASIN.
 * A malformed message is recorded in offer_rejects with the reason (`rejected`); the caller deletes
 * it, since a redelivery would be refused the same way. Another notification type is left alone.
 */
export async function recordMessage(
  deps: RecordDeps,
  msg: { id: string; body: string },
): Promise<RecordOutcome> {
  const parsed = parseNotification(msg.body);
  const receivedAt = deps.clock.now();
  if (parsed.kind === 'other_type') return { outcome: 'other_type', type: parsed.type };
  if (parsed.kind === 'malformed') {
    await insertReject(deps.db.pool, {
      messageId: msg.id,
      receivedAt,
      reason: parsed.reason,
      body: msg.body,
    });
    return { outcome: 'rejected', reason: parsed.reason };
  }
  const c = parsed.change;
  const marketplace = marketplaceCodeOf(c.marketplaceId, deps.config);
  return withTransaction(deps.db, async (q) => {
    let note = ignoredBecause(c, marketplace);
    let status: NotificationStatus = note ? 'ignored' : 'applied';
    if (!note && (await newerRecorded(q, marketplace!, c.asin, c.changedAt))) status = 'stale';
    const currency = marketplace ? currencyOf(marketplace, deps.config) : undefined;
    const buybox = c.buybox && c.buybox.currency === currency ? c.buybox : null;
    if (!note && c.buybox && !buybox) note = `buy box in ${c.buybox.currency}, not ${currency}: not recorded`;
    const fresh = await insertNotification(q, {
      change: c,
      marketplace: marketplace ?? null,
      receivedAt,
      status,
      note,
    });
    if (!fresh) return { outcome: 'duplicate', asin: c.asin };
    if (status === 'ignored') return { outcome: status, asin: c.asin, owed: false };
    const mk = marketplace!;
    if (buybox) {
      await recordBuybox(
        q,
        mk,
        buybox.currency,
        [{ asin: c.asin, at: c.changedAt, price: buybox.price }],
        NOTIFICATION_SOURCE,
      );
    }
    if (c.offersNew !== null) {
      await recordMetrics(
        q,
        mk,
        [
          {
            asin: c.asin,
            at: c.changedAt,
            salesRank: null,
            offersNew: c.offersNew,
            offersFba: c.offersFba,
            fbaPrice: null,
            amazonOnListing: null,
            rating: null,
            reviews: null,
          },
        ],
        NOTIFICATION_SOURCE,
      );
    }
    const owed = status === 'applied' && mk === deps.config.AWA_MARKETPLACE;
    if (owed)
      await owe(q, {
        marketplace: mk,
        asin: c.asin,
        at: receivedAt,
        debounceMs: deps.config.OFFERS_DEBOUNCE_MS,
      });
    return { outcome: status, asin: c.asin, owed };
  });
}

/** Forgets what is older than the repricer log keeps (REPRICER_LOG_RETENTION_DAYS); returns rows removed. */
export function forgetOld(deps: RecordDeps): Promise<number> {
  const days = deps.config.REPRICER_LOG_RETENTION_DAYS;
  return trimBefore(deps.db.pool, new Date(deps.clock.now().getTime() - days * 86_400_000));
}
