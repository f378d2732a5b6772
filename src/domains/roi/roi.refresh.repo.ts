import { sql } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { RoiSettings } from './roi.repo.ts';

// The refresh sorts every offer (best per ASIN) and hashes the diff against the old contents; with
// the default 4 MB those spill to disk, which more than doubles the refresh time at 100k offers.
const REFRESH_WORK_MEM = '64MB';
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export interface RefreshRecord {
  started_at: Date;
  finished_at: Date;
  duration_ms: number;
  rows: number;
}

/**
 * Writes the settings (when given) and refreshes the view in one transaction. CONCURRENTLY builds the
 * new contents beside the old and applies only the differences, so readers are never blocked; two
 * refreshes queue on the view's lock instead of running twice at once.
 */
export async function refreshView(
  db: Db,
  settings: RoiSettings | undefined,
  reason: string,
  clock?: Clock,
): Promise<RefreshRecord> {
  return db.kysely.transaction().execute(async (trx) => {
    // the record says when the refresh really ran; the view's "today" (awa_today(), migration 0014)
    // is the caller's clock, else the database's date
    const started = new Date();
    const t0 = performance.now();
    await sql`SELECT set_config('work_mem', ${REFRESH_WORK_MEM}, true)`.execute(trx);
    if (clock) await sql`SELECT set_config('awa.today', ${isoDay(clock.now())}, true)`.execute(trx);
    if (settings) {
      const s = settings;
      // changed_at moves only when a value changes: it feeds every row's computed_at, and a no-op
      // write must not make the refresh rewrite the whole view
      await sql`
        UPDATE roi_settings SET marketplace = ${s.marketplace}, currency = ${s.currency},
          vat_rate = ${s.vatRate}, vat_registered = ${s.vatRegistered}, dest_country = ${s.destCountry}, lane_carrier = ${s.lane.carrier},
          lane_origin = ${s.lane.origin}, lane_dest = ${s.lane.dest}, lane_service = ${s.lane.service},
          changed_at = now()
        WHERE id AND (marketplace, currency, vat_rate, vat_registered, dest_country, lane_carrier, lane_origin,
                      lane_dest, lane_service)
          IS DISTINCT FROM (${s.marketplace}::char(2), ${s.currency}::char(3), ${s.vatRate}::numeric(6, 4),
                            ${s.vatRegistered}::boolean,
                            ${s.destCountry}::char(2), ${s.lane.carrier}::text, ${s.lane.origin}::char(2),
                            ${s.lane.dest}::char(2), ${s.lane.service}::text)`.execute(trx);
    }
    await sql`REFRESH MATERIALIZED VIEW CONCURRENTLY roi_offers`.execute(trx);
    const count = await sql<{ n: number }>`SELECT count(*) AS n FROM roi_offers`.execute(trx);
    const rec: RefreshRecord = {
      started_at: started,
      finished_at: new Date(),
      duration_ms: Math.round(performance.now() - t0),
      rows: count.rows[0]?.n ?? 0,
    };
    await sql`
      INSERT INTO roi_refreshes (started_at, finished_at, duration_ms, rows, reason)
      VALUES (${rec.started_at}, ${rec.finished_at}, ${rec.duration_ms}, ${rec.rows}, ${reason})`.execute(
      trx,
    );
    // a row per refresh is ~3,000 a month at the default schedule: keep a quarter for trend analysis
    await sql`DELETE FROM roi_refreshes WHERE finished_at < now() - interval '90 days'`.execute(trx);
    return rec;
  });
}

export async function lastRefresh(db: Db): Promise<RefreshRecord | null> {
  const { rows } = await sql<RefreshRecord>`
    SELECT started_at, finished_at, duration_ms, rows FROM roi_refreshes
    ORDER BY finished_at DESC LIMIT 1`.execute(db.kysely);
  return rows[0] ?? null;
}

export async function countOffers(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM roi_offers`.execute(db.kysely);
  return rows[0]?.n ?? 0;
}
