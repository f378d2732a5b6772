import type { Queryable } from '../../platform/db/queryable.ts';
import type { Tables } from '../../platform/db/tables.gen.ts';
import type { VatScope } from './vat.ts';

/** SQL of the reduced VAT rates (vat_rates, migrations/0014_fees_vat.sql). */

/** A stored rate; `scope` is one of vat.ts's scopes (a CHECK of the table), `rate` the numeric as text. */
export type VatRateRow = Pick<Tables['vat_rates'], 'key' | 'note' | 'updated_at'> & {
  scope: VatScope;
  rate: string;
};

export async function listVatRates(q: Queryable, marketplace: string): Promise<VatRateRow[]> {
  const { rows } = await q.query<VatRateRow>(
    `SELECT scope, key, rate::text AS rate, note, updated_at FROM vat_rates
     WHERE marketplace = $1 ORDER BY scope, lower(key)`,
    [marketplace],
  );
  return rows;
}

/** Upserts the rates; returns per key whether it was new, changed or already so. */
export async function saveVatRates(
  q: Queryable,
  marketplace: string,
  rates: { scope: VatScope; key: string; rate: string; note: string | null }[],
): Promise<{ inserted: number; updated: number }> {
  const { rows } = await q.query<{ inserted: boolean }>(
    `INSERT INTO vat_rates AS v (marketplace, scope, key, rate, note)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::numeric[], $5::text[])
     ON CONFLICT (marketplace, scope, lower(key)) DO UPDATE SET key = EXCLUDED.key, rate = EXCLUDED.rate,
       note = EXCLUDED.note, updated_at = now()
     WHERE (v.key, v.rate, v.note) IS DISTINCT FROM (EXCLUDED.key, EXCLUDED.rate, EXCLUDED.note)
     RETURNING (xmax = 0) AS inserted`,
    [
      marketplace,
      rates.map((r) => r.scope),
      rates.map((r) => r.key),
      rates.map((r) => r.rate),
      rates.map((r) => r.note),
    ],
  );
  const inserted = rows.filter((r) => r.inserted).length;
  return { inserted, updated: rows.length - inserted };
}

export async function deleteVatRate(
  q: Queryable,
  marketplace: string,
  scope: VatScope,
  key: string,
): Promise<number> {
  const r = await q.query(
    'DELETE FROM vat_rates WHERE marketplace = $1 AND scope = $2 AND lower(key) = lower($3)',
    [marketplace, scope, key],
  );
  return r.rowCount ?? 0;
}
