import type { Queryable } from '../../platform/db/queryable.ts';
import type { FeeBreakdown } from './estimate.ts';

export interface Candidate {
  marketplace: string;
  asin: string;
  /** Listing price, else the latest buy box; null when neither is known. */
  price: string | null;
  currency: string | null;
  price_source: 'listing' | 'buybox' | null;
  amazon_fulfilled: boolean;
  /** The current fees row, to skip what this agent already confirmed today. */
  fee_source: string | null;
  checked_at: Date | null;
  price_basis: string | null;
}

export interface MarketplaceScope {
  code: string;
  currency: string;
}

/**
 * What to price, per (marketplace, asin): the seller's active listings at their listing price (the
 * best listing of an ASIN: one with a price, FBA first, newest), else at the latest buy box; and ASINs
 * of vendor offers (or named by `asins`) with a known buy box in the marketplace, at that buy box.
 */
export async function loadCandidates(
  q: Queryable,
  scope: MarketplaceScope[],
  asins?: string[],
): Promise<Candidate[]> {
  const { rows } = await q.query<Candidate>(
    `WITH mk AS (SELECT * FROM unnest($1::char(2)[], $2::char(3)[]) AS m(code, currency)),
     listed AS (
       SELECT DISTINCT ON (l.marketplace, l.asin) l.marketplace, l.asin, l.price, l.fulfillment_channel
       FROM listings l JOIN mk ON mk.code = l.marketplace
       WHERE l.status = 'active' AND l.asin ~ '^[A-Z0-9]{10}$' AND ($3::text[] IS NULL OR l.asin = ANY($3))
       ORDER BY l.marketplace, l.asin, l.price IS NULL, l.fulfillment_channel = 'AFN' DESC NULLS LAST,
                l.updated_at DESC
     ),
     sourced AS (
       SELECT DISTINCT asin FROM vendor_prices
       WHERE asin ~ '^[A-Z0-9]{10}$' AND ($3::text[] IS NULL OR asin = ANY($3))
       UNION SELECT unnest($3::text[])
     ),
     wanted AS (
       SELECT marketplace, asin, price, fulfillment_channel FROM listed
       UNION ALL
       SELECT mk.code, s.asin, NULL::numeric, NULL::text FROM mk CROSS JOIN sourced s
       WHERE EXISTS (SELECT 1 FROM buybox_history h WHERE h.marketplace = mk.code AND h.asin = s.asin)
         AND NOT EXISTS (SELECT 1 FROM listed l WHERE l.marketplace = mk.code AND l.asin = s.asin)
     )
     SELECT w.marketplace::text AS marketplace, w.asin,
            CASE WHEN w.price > 0 THEN w.price ELSE bb.price END::text AS price,
            (CASE WHEN w.price > 0 THEN mk.currency ELSE bb.currency END)::text AS currency,
            CASE WHEN w.price > 0 THEN 'listing' WHEN bb.price IS NOT NULL THEN 'buybox' END AS price_source,
            coalesce(w.fulfillment_channel, 'AFN') <> 'MFN' AS amazon_fulfilled,
            f.source AS fee_source, f.checked_at, f.price_basis::text AS price_basis
     FROM wanted w
     JOIN mk ON mk.code = w.marketplace
     LEFT JOIN LATERAL (
       SELECT h.price, h.currency FROM buybox_history h
       WHERE h.marketplace = w.marketplace AND h.asin = w.asin ORDER BY h.captured_at DESC LIMIT 1
     ) bb ON true
     LEFT JOIN fees f ON f.marketplace = w.marketplace AND f.asin = w.asin
     ORDER BY w.marketplace, w.asin`,
    [scope.map((s) => s.code), scope.map((s) => s.currency), asins ?? null],
  );
  return rows;
}

export interface FeeRow extends FeeBreakdown {
  marketplace: string;
  asin: string;
  /** The price the fees were estimated at; null when a report gives none. */
  price_basis: string | null;
}

const columns = (rows: FeeRow[]) => [
  rows.map((r) => r.marketplace),
  rows.map((r) => r.asin),
  rows.map((r) => r.referral),
  rows.map((r) => r.fulfilment),
  rows.map((r) => r.storage),
  rows.map((r) => r.other),
  rows.map((r) => r.currency),
  rows.map((r) => r.price_basis),
];

// The rows with whether each differs from the current fees row (or has none), and whether the
// stored row is newer evidence than this observation ($10, `at`). Two rules every writer shares:
// - An older observation never overwrites a newer one. The stored row's evidence time is when its
//   values were last confirmed (checked_at), else when they were captured: a fee re-checked unchanged
//   yesterday is newer than a report captured two days ago, though its captured_at may be older. A
//   forced re-ingest of an old fee preview thus leaves a newer SP-API estimate as it is.
// - SP-API estimates and the fee preview carry no monthly storage fee: a storage fee known from
//   elsewhere (Helium10, a manual entry) is kept rather than dropped from landed cost, when the
//   currency is the same (a fee in another currency is not comparable).
const DIFF = `
  input AS (
    SELECT * FROM unnest($1::char(2)[], $2::text[], $3::numeric[], $4::numeric[], $5::numeric[],
                         $6::numeric[], $7::char(3)[], $8::numeric[])
      AS t(marketplace, asin, referral, fulfilment, storage, other, currency, price_basis)
  ),
  merged AS (
    SELECT i.marketplace, i.asin, i.referral, i.fulfilment,
           CASE WHEN i.storage IS NULL AND f.currency = i.currency THEN f.storage ELSE i.storage END AS storage,
           i.other, i.currency, i.price_basis, f.asin IS NULL AS is_new,
           coalesce(greatest(f.checked_at, f.captured_at) > $10::timestamptz, false) AS older,
           (f.referral, f.fulfilment, f.storage, f.other, f.currency, f.price_basis, f.source) AS old
    FROM input i LEFT JOIN fees f ON f.marketplace = i.marketplace AND f.asin = i.asin
  ),
  diff AS (
    SELECT marketplace, asin, referral, fulfilment, storage, other, currency, price_basis, older,
           NOT older AND (is_new OR old IS DISTINCT FROM (referral, fulfilment, storage, other, currency,
                                                          price_basis, $9::text)) AS changed
    FROM merged
  )`;

export interface FeeWrite {
  /** `sp_api`, `helium10`, `fee_preview_report` or `manual`. */
  source: string;
  /** When the fees were observed: the run's time, or when a report was first ingested. */
  at: Date;
  /** The day of `at`: keys the history point. */
  day: Date;
}

/** Dry run: the keys (`DE:B0…`) whose fees would change. */
export async function changedKeys(
  q: Queryable,
  rows: FeeRow[],
  opts: Omit<FeeWrite, 'day'>,
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const { rows: out } = await q.query<{ key: string }>(
    `WITH ${DIFF} SELECT marketplace::text || ':' || asin AS key FROM diff WHERE changed`,
    [...columns(rows), opts.source, opts.at],
  );
  return new Set(out.map((r) => r.key));
}

/**
 * Upserts the current fees and, for rows whose values changed, the history point of `day`: one
 * point per (marketplace, asin, day), so a rerun or a retried run the same day adds no duplicates
 * (a later change the same day updates that day's point). Every row written gets checked_at = `at`;
 * its captured_at moves only when a value changed. A row older than the stored one is not written
 * at all (counted as `older`); the DO UPDATE repeats that test under the row lock, for a concurrent
 * writer that committed after this statement's snapshot (then neither the row nor its history point
 * is written). One statement, so a killed run leaves
 * whole rows. Rows must be unique per (marketplace, asin).
 */
export async function writeFees(
  q: Queryable,
  rows: FeeRow[],
  opts: FeeWrite,
): Promise<{ changed: number; history: number; older: number }> {
  if (rows.length === 0) return { changed: 0, history: 0, older: 0 };
  const { rows: out } = await q.query<{ changed: number; history: number; older: number }>(
    `WITH ${DIFF},
     up AS (
       INSERT INTO fees AS f (marketplace, asin, referral, fulfilment, storage, other, currency, price_basis,
                              source, captured_at, checked_at)
       SELECT marketplace, asin, referral, fulfilment, storage, other, currency, price_basis, $9, $10, $10
       FROM diff WHERE NOT older
       ON CONFLICT (marketplace, asin) DO UPDATE SET referral = EXCLUDED.referral,
         fulfilment = EXCLUDED.fulfilment, storage = EXCLUDED.storage, other = EXCLUDED.other,
         currency = EXCLUDED.currency, price_basis = EXCLUDED.price_basis, source = EXCLUDED.source,
         captured_at = CASE
           WHEN (f.referral, f.fulfilment, f.storage, f.other, f.currency, f.price_basis, f.source)
                IS DISTINCT FROM (EXCLUDED.referral, EXCLUDED.fulfilment, EXCLUDED.storage, EXCLUDED.other,
                                  EXCLUDED.currency, EXCLUDED.price_basis, EXCLUDED.source)
           THEN EXCLUDED.captured_at ELSE f.captured_at END,
         checked_at = EXCLUDED.checked_at
       WHERE coalesce(greatest(f.checked_at, f.captured_at) <= EXCLUDED.checked_at, true)
       RETURNING f.marketplace, f.asin
     ),
     done AS (SELECT d.* FROM diff d JOIN up USING (marketplace, asin) WHERE d.changed),
     hist AS (
       INSERT INTO fees_history AS h (marketplace, asin, captured_at, referral, fulfilment, storage, other,
                                      currency, price_basis, source)
       SELECT marketplace, asin, $11, referral, fulfilment, storage, other, currency, price_basis, $9
       FROM done
       ON CONFLICT (marketplace, asin, captured_at) DO UPDATE SET referral = EXCLUDED.referral,
         fulfilment = EXCLUDED.fulfilment, storage = EXCLUDED.storage, other = EXCLUDED.other,
         currency = EXCLUDED.currency, price_basis = EXCLUDED.price_basis, source = EXCLUDED.source
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM done)::int AS changed, (SELECT count(*) FROM hist)::int AS history,
            (SELECT count(*) FROM diff WHERE older)::int AS older`,
    [...columns(rows), opts.source, opts.at, opts.day],
  );
  return out[0] ?? { changed: 0, history: 0, older: 0 };
}
