import type { Queryable } from '../../platform/db/queryable.ts';
import type { Tables } from '../../platform/db/tables.gen.ts';

/** SQL of user_preferences and saved_views (migrations/0016_preferences.sql). */

/** Not a plain table row: the numerics are cast to float8 because the API returns them as numbers. */
export interface PreferencesRow {
  min_roi_pct: number;
  min_profit: number;
  max_sales_rank: number | null;
  locale: string | null;
}

export async function preferencesOf(q: Queryable, owner: string): Promise<PreferencesRow | null> {
  const { rows } = await q.query<PreferencesRow>(
    `SELECT min_roi_pct::float8 AS min_roi_pct, min_profit::float8 AS min_profit, max_sales_rank, locale
     FROM user_preferences WHERE owner = $1`,
    [owner],
  );
  return rows[0] ?? null;
}

export async function savePreferences(
  q: Queryable,
  owner: string,
  p: PreferencesRow,
  at: Date,
): Promise<void> {
  await q.query(
    `INSERT INTO user_preferences (owner, min_roi_pct, min_profit, max_sales_rank, locale, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (owner) DO UPDATE SET min_roi_pct = EXCLUDED.min_roi_pct, min_profit = EXCLUDED.min_profit,
       max_sales_rank = EXCLUDED.max_sales_rank, locale = EXCLUDED.locale, updated_at = EXCLUDED.updated_at`,
    [owner, p.min_roi_pct, p.min_profit, p.max_sales_rank, p.locale, at],
  );
}

export type ViewRow = Pick<Tables['saved_views'], 'id' | 'page' | 'name' | 'params' | 'created_at'>;

const VIEW_COLUMNS = 'id::int AS id, page, name, params, created_at';

/** The owner's views (of one page, or all), by page then name. */
export async function viewsOf(q: Queryable, owner: string, page: string | undefined): Promise<ViewRow[]> {
  const { rows } = await q.query<ViewRow>(
    `SELECT ${VIEW_COLUMNS} FROM saved_views WHERE owner = $1 AND ($2::text IS NULL OR page = $2)
     ORDER BY page, name, id`,
    [owner, page ?? null],
  );
  return rows;
}

/** The new view, or null when the owner already has a view of that name on that page. */
export async function insertView(
  q: Queryable,
  v: { owner: string; page: string; name: string; params: string; at: Date },
): Promise<ViewRow | null> {
  const { rows } = await q.query<ViewRow>(
    `INSERT INTO saved_views (owner, page, name, params, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (owner, page, name) DO NOTHING
     RETURNING ${VIEW_COLUMNS}`,
    [v.owner, v.page, v.name, v.params, v.at],
  );
  return rows[0] ?? null;
}

/** Deletes the view if it is the owner's; returns whether it did. */
export async function deleteView(q: Queryable, owner: string, id: number): Promise<boolean> {
  const r = await q.query('DELETE FROM saved_views WHERE id = $1 AND owner = $2', [id, owner]);
  return (r.rowCount ?? 0) > 0;
}
