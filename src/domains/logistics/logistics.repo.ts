import type { Queryable } from '../../platform/db/queryable.ts';
import type { Tables } from '../../platform/db/tables.gen.ts';
import type { RateRow } from './validate.ts';

/** SQL of the freight-rate loader (logistics_rates, logistics_loadlog; migrations/0003_roi.sql). */

export interface LoadedSnapshot extends Pick<Tables['logistics_loadlog'], 'sha256'> {
  /** bigint as text: seqnos may be hashes. */
  seqno: string;
}

/** The snapshot of `source` loaded last: only it counts as "unchanged" (see the service). */
export async function latestLoad(q: Queryable, source: string): Promise<LoadedSnapshot | undefined> {
  const { rows } = await q.query<LoadedSnapshot>(
    `SELECT seqno::text AS seqno, sha256 FROM logistics_loadlog WHERE source = $1
     ORDER BY loaded_at DESC, seqno DESC LIMIT 1`,
    [source],
  );
  return rows[0];
}

function columns(rows: RateRow[], source: string) {
  return [
    rows.map((r) => r.carrier),
    rows.map((r) => r.origin),
    rows.map((r) => r.dest),
    rows.map((r) => r.service),
    rows.map((r) => r.effective_from),
    rows.map((r) => r.effective_to),
    rows.map((r) => r.eur_per_kg),
    source,
  ];
}

const INPUT = `unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::date[], $7::numeric[])
  AS t(carrier, origin, dest, service, effective_from, effective_to, eur_per_kg)`;

/**
 * Upserts on the lane key; a lane whose rate and end are unchanged is not rewritten (its `source`
 * stays that of the card that last changed it), so the count is of lanes that really changed.
 */
export async function upsertRates(q: Queryable, rows: RateRow[], source: string): Promise<number> {
  if (rows.length === 0) return 0;
  const res = await q.query(
    `INSERT INTO logistics_rates (carrier, origin, dest, service, effective_from, effective_to, eur_per_kg, source)
     SELECT t.*, $8 FROM ${INPUT}
     ON CONFLICT (carrier, origin, dest, service, effective_from) DO UPDATE
       SET effective_to = EXCLUDED.effective_to, eur_per_kg = EXCLUDED.eur_per_kg, source = EXCLUDED.source
       WHERE (logistics_rates.eur_per_kg, logistics_rates.effective_to)
             IS DISTINCT FROM (EXCLUDED.eur_per_kg, EXCLUDED.effective_to)`,
    columns(rows, source),
  );
  return res.rowCount ?? 0;
}

/**
 * Records the snapshot as the source's latest. A card that comes back (A, B, then A again) replaces
 * its old row, whose sha256 or seqno would otherwise collide with the table's unique keys.
 */
export async function recordLoad(
  q: Queryable,
  l: { source: string; seqno: string; sha256: string; rows: number },
): Promise<void> {
  await q.query('DELETE FROM logistics_loadlog WHERE source = $1 AND (sha256 = $2 OR seqno = $3::bigint)', [
    l.source,
    l.sha256,
    l.seqno,
  ]);
  await q.query(
    `INSERT INTO logistics_loadlog (source, seqno, sha256, rows, loaded_at)
     VALUES ($1, $2::bigint, $3, $4, clock_timestamp())`,
    [l.source, l.seqno, l.sha256, l.rows],
  );
}
