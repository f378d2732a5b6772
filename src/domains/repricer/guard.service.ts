import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/pool.ts';
import * as repo from './guard.repo.ts';
import { guardOfListing, guardOfOffer, noGuard, type OfferInputs, type PriceGuard } from './guard.ts';
import { loadInputs } from './inputs.repo.ts';
import { settingsFrom } from './plan.ts';

/** The repricer's side of the SKU page: guard band, our price over time, changes and decisions. */

export type { OfferInputs, PriceGuard } from './guard.ts';

export interface GuardDeps {
  db: Db;
  config: Config;
  clock: Clock;
}

export interface PriceChange {
  at: Date;
  sku: string;
  from: number | null;
  to: number;
  reason: string;
  /** The first guard that acted on the change (floor, max_step…), null when none did. */
  guard: string | null;
  mode: string;
  dry_run: boolean;
}

const DECISIONS = 20;
// prices Amazon has (apply mode, manual prices) or accepted (live): the rest never took effect
const IN_FORCE = new Set(['not_submitted', 'accepted']);
const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

/** Our price as [epoch seconds, price] points: prices set (in force) and the listing's reported price. */
function ourPrice(
  updates: repo.PriceUpdateRow[],
  listing: repo.AsinListing | undefined,
  since: Date | null,
  until: Date,
): [number, number][] {
  const points: [number, number][] = updates
    .filter((u) => u.sku === listing?.sku && IN_FORCE.has(u.submission_status))
    .map((u) => [seconds(u.created_at), u.new_price]);
  const at = listing?.updated_at;
  if (listing?.price != null && at && (!since || at >= since) && at <= until) {
    points.push([seconds(at), listing.price]);
  }
  points.sort((a, b) => a[0] - b[0]);
  // two points in one second: the later write wins
  return points.filter((p, i) => points[i + 1]?.[0] !== p[0]);
}

/**
 * What the repricer knows of one ASIN over [since, now] (since null = all): the guard band of its
 * first active listing (priced from that listing's inputs and rule), our price, every price change
 * (repricer decisions that changed it, dry runs included, and manual prices) and the latest
 * decisions. `guard` is null when the ASIN has no active listing (see offerGuard).
 */
export async function asinRepricing(deps: GuardDeps, asin: string, since: Date | null) {
  const s = settingsFrom(deps.config);
  const now = deps.clock.now();
  const listings = await repo.listingsOfAsin(deps.db.pool, s.marketplace, asin);
  const skus = listings.map((l) => l.sku);
  if (skus.length === 0) {
    return { skus, guard: null, our_price: [], price_changes: [] as PriceChange[], decisions: [] };
  }
  const active = listings.filter((l) => l.status === 'active').map((l) => l.sku);
  const [inputs, updates, changed, decisions] = await Promise.all([
    active.length > 0
      ? loadInputs(deps.db.pool, { marketplace: s.marketplace, currency: s.currency, now, skus: active })
      : Promise.resolve([]),
    repo.priceUpdates(deps.db.pool, s.marketplace, skus, since, now),
    repo.changedDecisions(deps.db.pool, s.marketplace, skus, since, now),
    repo.recentDecisions(deps.db.pool, s.marketplace, skus, DECISIONS),
  ]);
  const primary = inputs.find((r) => r.sku === active[0]);
  const guard: PriceGuard | null = primary ? guardOfListing(primary, s) : null;
  const listing = listings.find((l) => l.sku === (primary?.sku ?? skus[0]));
  // a run's changes are in repricer_log; price_updates_log adds the manual ones (no run)
  const changes: PriceChange[] = [
    ...changed.map((d) => ({
      at: d.created_at,
      sku: d.sku,
      from: d.old_price,
      to: d.final_price ?? d.old_price ?? 0,
      reason: d.reason,
      guard: d.guards[0] ?? null,
      mode: d.mode,
      dry_run: d.mode === 'dry_run',
    })),
    ...updates
      .filter((u) => u.mode === 'manual')
      .map((u) => ({
        at: u.created_at,
        sku: u.sku,
        from: u.old_price,
        to: u.new_price,
        reason: u.reason ?? 'manual price',
        guard: u.guards?.[0] ?? null,
        mode: 'manual',
        dry_run: false,
      })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  return {
    skus,
    guard,
    our_price: ourPrice(updates, listing, since, now),
    price_changes: changes,
    decisions: decisions.map((d) => ({ ...d, guard: d.guards[0] ?? null })),
  };
}

/** The guard band of a product that is not listed: the ROI floor of its best vendor offer. */
export function offerGuard(config: Config, offer: OfferInputs | undefined): PriceGuard {
  const s = settingsFrom(config);
  return offer ? guardOfOffer(offer, s) : noGuard(s, 'no vendor offer and no listing: no floor');
}
