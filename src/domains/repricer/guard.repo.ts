import type { Queryable } from '../../platform/db/queryable.ts';
import type { Tables } from '../../platform/db/tables.gen.ts';

/** SQL behind the repricer's view of one ASIN (guard.service.ts): its listings, prices and decisions. */

/** The listing's row, with its price read as a float8 (the guard compares prices as numbers). */
export type AsinListing = Pick<Tables['listings'], 'sku' | 'status' | 'updated_at'> & {
  price: number | null;
};

/** The seller's listings of the ASIN here, active first, then by SKU. */
export async function listingsOfAsin(
  q: Queryable,
  marketplace: string,
  asin: string,
): Promise<AsinListing[]> {
  const { rows } = await q.query<AsinListing>(
    `SELECT sku, status, price::float8 AS price, updated_at FROM listings
     WHERE marketplace = $1 AND asin = $2 ORDER BY (status = 'active') DESC, sku`,
    [marketplace, asin],
  );
  return rows;
}

export interface PriceUpdateRow {
  id: number;
  sku: string;
  created_at: Date;
  old_price: number | null;
  new_price: number;
  mode: string;
  submission_status: string;
  reason: string | null;
  guards: string[] | null;
}

/** price_updates_log rows of these SKUs in [since, until], oldest first. */
export async function priceUpdates(
  q: Queryable,
  marketplace: string,
  skus: string[],
  since: Date | null,
  until: Date,
): Promise<PriceUpdateRow[]> {
  const { rows } = await q.query<PriceUpdateRow>(
    `SELECT id::int AS id, sku, created_at, old_price::float8 AS old_price, new_price::float8 AS new_price, mode,
            submission_status, context->>'reason' AS reason,
            CASE WHEN jsonb_typeof(context->'guards') = 'array'
                 THEN ARRAY(SELECT jsonb_array_elements_text(context->'guards')) END AS guards
     FROM price_updates_log
     WHERE marketplace = $1 AND sku = ANY($2::text[]) AND ($3::timestamptz IS NULL OR created_at >= $3)
       AND created_at <= $4
     ORDER BY created_at, id`,
    [marketplace, skus, since, until],
  );
  return rows;
}

export interface DecisionRow {
  id: number;
  run_id: string;
  sku: string;
  created_at: Date;
  old_price: number | null;
  proposed: number | null;
  final_price: number | null;
  floor: number | null;
  ceiling: number | null;
  buybox: number | null;
  strategy: string;
  guards: string[];
  changed: boolean;
  skipped: boolean;
  error: boolean;
  mode: string;
  reason: string;
}

// A price set by hand (POST /pricing/apply, not a dry run) is shown from price_updates_log; its
// logged decision (a run without an agent_runs row) would show it twice.
const NOT_SET_BY_HAND = `(mode = 'dry_run' OR EXISTS (SELECT 1 FROM agent_runs a WHERE a.id = repricer_log.run_id))`;

const DECISION_COLUMNS = `id::int AS id, run_id, sku, created_at, old_price::float8 AS old_price,
  proposed::float8 AS proposed, final_price::float8 AS final_price, floor::float8 AS floor,
  ceiling::float8 AS ceiling, buybox::float8 AS buybox, strategy, guards, changed, skipped, error, mode, reason`;

/** The newest `limit` repricer decisions of these SKUs (repricer_log_sku_idx), newest first. */
export async function recentDecisions(
  q: Queryable,
  marketplace: string,
  skus: string[],
  limit: number,
): Promise<DecisionRow[]> {
  const { rows } = await q.query<DecisionRow>(
    `SELECT ${DECISION_COLUMNS} FROM repricer_log
     WHERE marketplace = $1 AND sku = ANY($2::text[]) AND ${NOT_SET_BY_HAND}
     ORDER BY created_at DESC, id DESC LIMIT $3`,
    [marketplace, skus, limit],
  );
  return rows;
}

/** Decisions of these SKUs in [since, until] that changed the price (or would have: dry runs), oldest first. */
export async function changedDecisions(
  q: Queryable,
  marketplace: string,
  skus: string[],
  since: Date | null,
  until: Date,
): Promise<DecisionRow[]> {
  const { rows } = await q.query<DecisionRow>(
    `SELECT ${DECISION_COLUMNS} FROM repricer_log
     WHERE marketplace = $1 AND sku = ANY($2::text[]) AND changed AND ${NOT_SET_BY_HAND}
       AND ($3::timestamptz IS NULL OR created_at >= $3) AND created_at <= $4
     ORDER BY created_at, id`,
    [marketplace, skus, since, until],
  );
  return rows;
}
