import type { Queryable } from '../../platform/db/queryable.ts';

/** SQL of the exchange rates (fx_rates) landed cost converts with. */

export interface FxRate {
  /** ISO 4217 code of the currency converted from. */
  currency: string;
  /** The rate's day, YYYY-MM-DD. */
  asOf: string;
  /** Units of the marketplace currency per unit of `currency`, a decimal string. */
  rate: string;
}

/** Upserts rates per (currency, day); a rate that did not change is not touched. Returns rows changed. */
export async function upsertFx(q: Queryable, rows: FxRate[], source: string): Promise<number> {
  if (rows.length === 0) return 0;
  const r = await q.query(
    `INSERT INTO fx_rates AS f (currency, as_of, rate, source)
     SELECT u.currency, u.as_of, u.rate, $4 FROM unnest($1::text[], $2::date[], $3::numeric[]) AS u(currency, as_of, rate)
     ON CONFLICT (currency, as_of) DO UPDATE SET rate = EXCLUDED.rate, source = EXCLUDED.source
     WHERE f.rate IS DISTINCT FROM EXCLUDED.rate`,
    [rows.map((x) => x.currency), rows.map((x) => x.asOf), rows.map((x) => x.rate), source],
  );
  return r.rowCount ?? 0;
}
