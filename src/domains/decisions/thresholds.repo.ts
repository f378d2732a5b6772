import type { Queryable } from '../../platform/db/queryable.ts';

export interface ThresholdRow {
  key: string;
  value: number;
  updated_at: Date;
  updated_by: string;
}

export async function readThresholds(c: Queryable): Promise<ThresholdRow[]> {
  const { rows } = await c.query<ThresholdRow>(
    'SELECT key, value::float8 AS value, updated_at, updated_by FROM task_thresholds ORDER BY key',
  );
  return rows;
}

export async function writeThresholds(
  c: Queryable,
  values: { key: string; value: number }[],
  by: string,
  at: Date,
): Promise<void> {
  await c.query(
    `INSERT INTO task_thresholds (key, value, updated_at, updated_by)
     SELECT k, v, $3, $4 FROM unnest($1::text[], $2::numeric[]) AS x(k, v)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at,
       updated_by = excluded.updated_by`,
    [values.map((v) => v.key), values.map((v) => v.value), at, by],
  );
}

/** Back to the default: the row goes. */
export async function deleteThresholds(c: Queryable, keys: string[]): Promise<void> {
  await c.query('DELETE FROM task_thresholds WHERE key = ANY($1::text[])', [keys]);
}
