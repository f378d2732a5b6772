import type { Queryable } from '../../platform/db/queryable.ts';
import type { Channel, Severity, Target } from './alerts.types.ts';

/** Where notifications go: config targets (synced), admin webhook endpoints, people's own subscriptions. */

const COLS = `id::int AS id, channel, address, origin, owner, secret, description, min_severity, task_types,
  to_char(quiet_start, 'HH24:MI') AS quiet_start, to_char(quiet_end, 'HH24:MI') AS quiet_end, timezone, enabled,
  disabled_reason`;

export interface TargetRow extends Target {
  created_at?: Date;
}

export async function listTargets(
  c: Queryable,
  f: { enabled?: boolean; channel?: Channel; origin?: Target['origin']; owner?: string; ids?: number[] } = {},
): Promise<TargetRow[]> {
  const { rows } = await c.query(
    `SELECT ${COLS}, created_at FROM notification_targets
     WHERE ($1::boolean IS NULL OR enabled = $1) AND ($2::text IS NULL OR channel = $2)
       AND ($3::text IS NULL OR origin = $3) AND ($4::text IS NULL OR owner = $4)
       AND ($5::bigint[] IS NULL OR id = ANY($5::bigint[]))
     ORDER BY id`,
    [f.enabled ?? null, f.channel ?? null, f.origin ?? null, f.owner ?? null, f.ids ?? null],
  );
  return rows;
}

export interface ConfigTarget {
  channel: Channel;
  address: string;
  secret: string | null;
  minSeverity: Severity;
}

/**
 * Makes the `config` targets match the environment: new ones added, present ones updated and
 * enabled, ones no longer configured disabled (not deleted: their delivery history stays).
 */
export async function syncConfigTargets(c: Queryable, targets: ConfigTarget[], now: Date): Promise<void> {
  await c.query(
    `WITH want AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS w (channel, address, secret, min_severity)),
     up AS (
       INSERT INTO notification_targets (channel, address, origin, secret, min_severity, created_at, updated_at)
       SELECT channel, address, 'config', secret, min_severity, $5, $5 FROM want
       ON CONFLICT (channel, origin, owner, address) DO UPDATE
       SET secret = excluded.secret, min_severity = excluded.min_severity, enabled = true, disabled_reason = NULL,
           updated_at = $5
       WHERE (notification_targets.secret, notification_targets.min_severity, notification_targets.enabled)
             IS DISTINCT FROM (excluded.secret, excluded.min_severity, true))
     UPDATE notification_targets t SET enabled = false, disabled_reason = 'no longer configured', updated_at = $5
     WHERE t.origin = 'config' AND t.enabled
       AND NOT EXISTS (SELECT 1 FROM want w WHERE w.channel = t.channel AND w.address = t.address)`,
    [
      targets.map((t) => t.channel),
      targets.map((t) => t.address),
      targets.map((t) => t.secret),
      targets.map((t) => t.minSeverity),
      now,
    ],
  );
}

export interface TargetInput {
  channel: Channel;
  address: string;
  origin: 'admin' | 'user';
  owner: string;
  secret: string | null;
  description: string | null;
  min_severity: Severity;
  task_types: string[] | null;
  quiet_start: string | null;
  quiet_end: string | null;
  timezone: string;
  enabled: boolean;
}

export async function insertTarget(c: Queryable, t: TargetInput, now: Date): Promise<TargetRow | undefined> {
  const { rows } = await c.query(
    `INSERT INTO notification_targets (channel, address, origin, owner, secret, description, min_severity, task_types,
       quiet_start, quiet_end, timezone, enabled, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
     ON CONFLICT (channel, origin, owner, address) DO NOTHING
     RETURNING ${COLS}, created_at`,
    [
      t.channel,
      t.address,
      t.origin,
      t.owner,
      t.secret,
      t.description,
      t.min_severity,
      t.task_types,
      t.quiet_start,
      t.quiet_end,
      t.timezone,
      t.enabled,
      now,
    ],
  );
  return rows[0];
}

/** A person's subscription on one channel: one row per (owner, channel), replaced as a whole. */
export async function upsertUserTarget(c: Queryable, t: TargetInput, now: Date): Promise<TargetRow> {
  await c.query(
    `DELETE FROM notification_targets WHERE origin = 'user' AND owner = $1 AND channel = $2 AND address <> $3`,
    [t.owner, t.channel, t.address],
  );
  const { rows } = await c.query(
    `INSERT INTO notification_targets (channel, address, origin, owner, min_severity, task_types, quiet_start, quiet_end,
       timezone, enabled, created_at, updated_at)
     VALUES ($1, $2, 'user', $3, $4, $5, $6, $7, $8, $9, $10, $10)
     ON CONFLICT (channel, origin, owner, address) DO UPDATE
     SET min_severity = excluded.min_severity, task_types = excluded.task_types, quiet_start = excluded.quiet_start,
         quiet_end = excluded.quiet_end, timezone = excluded.timezone, enabled = excluded.enabled,
         disabled_reason = NULL, updated_at = excluded.updated_at
     RETURNING ${COLS}, created_at`,
    [
      t.channel,
      t.address,
      t.owner,
      t.min_severity,
      t.task_types,
      t.quiet_start,
      t.quiet_end,
      t.timezone,
      t.enabled,
      now,
    ],
  );
  return rows[0];
}

export async function deleteTarget(
  c: Queryable,
  id: number,
  origin: Target['origin'],
  owner = '',
): Promise<boolean> {
  const r = await c.query(`DELETE FROM notification_targets WHERE id = $1 AND origin = $2 AND owner = $3`, [
    id,
    origin,
    owner,
  ]);
  return r.rowCount === 1;
}

export async function disableTarget(c: Queryable, id: number, reason: string, now: Date): Promise<void> {
  await c.query(
    `UPDATE notification_targets SET enabled = false, disabled_reason = $2, updated_at = $3 WHERE id = $1`,
    [id, reason, now],
  );
}
