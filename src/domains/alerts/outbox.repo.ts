import type { Queryable } from '../../platform/db/queryable.ts';
import type { Alert, Severity } from './alerts.types.ts';

/** The outbox (notifications) and the way its rows become items, groups and messages. */

const ALERT_COLS = `n.id::int AS id, n.alert_key, n.event, n.type, n.severity, n.title, n.summary, n.labels,
  n.task_id::int AS task_id, n.at`;

export interface OutboxRow extends Omit<Alert, 'event'> {
  event: Alert['event'] | 'muted' | 'unmuted';
}

/** Unrouted notifications, oldest first, locked so two dispatchers never fan out the same row. */
export async function takeUnrouted(c: Queryable, limit: number): Promise<OutboxRow[]> {
  const { rows } = await c.query(
    `SELECT ${ALERT_COLS} FROM notifications n WHERE routed_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [limit],
  );
  return rows;
}

/** Which targets were told about each of these alerts (a created or escalated item exists). */
export async function toldTargets(c: Queryable, alertKeys: string[]): Promise<Set<string>> {
  if (alertKeys.length === 0) return new Set();
  const { rows } = await c.query<{ k: string }>(
    `SELECT DISTINCT n.alert_key || '#' || i.target_id AS k
     FROM notifications n JOIN notification_items i ON i.notification_id = n.id
     WHERE n.alert_key = ANY($1::text[]) AND n.event IN ('created', 'escalated')`,
    [alertKeys],
  );
  return new Set(rows.map((r) => r.k));
}

export interface NewItem {
  notificationId: number;
  targetId: number;
  groupKey: string;
  severity: Severity;
  notBefore: Date;
}

/** Items and their groups; the (notification, target) key makes a second routing a no-op. */
export async function insertItems(c: Queryable, items: NewItem[]): Promise<number> {
  if (items.length === 0) return 0;
  const col = <K extends keyof NewItem>(k: K) => items.map((i) => i[k]);
  await c.query(
    `INSERT INTO notification_groups (target_id, group_key, severity)
     SELECT DISTINCT ON (t, g) t, g, s FROM unnest($1::bigint[], $2::text[], $3::text[]) AS x (t, g, s)
     ON CONFLICT DO NOTHING`,
    [col('targetId'), col('groupKey'), col('severity')],
  );
  const r = await c.query(
    `INSERT INTO notification_items (notification_id, target_id, group_key, not_before)
     SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::timestamptz[])
     ON CONFLICT DO NOTHING`,
    [col('notificationId'), col('targetId'), col('groupKey'), col('notBefore')],
  );
  return r.rowCount ?? 0;
}

export async function markRouted(c: Queryable, ids: number[], now: Date): Promise<void> {
  await c.query(`UPDATE notifications SET routed_at = $2 WHERE id = ANY($1::bigint[])`, [ids, now]);
}

/** Serialises message making: two dispatchers must not both flush a group. */
export async function lockBatching(c: Queryable): Promise<void> {
  await c.query(`SELECT pg_advisory_xact_lock(hashtext('awa:alerts:batch'))`);
}

export interface PendingGroup {
  target_id: number;
  group_key: string;
  /** The oldest item that may be sent now (quiet hours over), for group_wait. */
  oldest: Date;
  last_sent_at: Date | null;
}

export async function pendingGroups(c: Queryable, now: Date): Promise<PendingGroup[]> {
  const { rows } = await c.query(
    `SELECT i.target_id::int AS target_id, i.group_key, min(greatest(n.at, i.not_before)) AS oldest, g.last_sent_at
     FROM notification_items i
     JOIN notifications n ON n.id = i.notification_id
     JOIN notification_groups g ON g.target_id = i.target_id AND g.group_key = i.group_key
     JOIN notification_targets t ON t.id = i.target_id AND t.enabled
     WHERE i.delivery_id IS NULL AND i.not_before <= $1
     GROUP BY i.target_id, i.group_key, g.last_sent_at`,
    [now],
  );
  return rows;
}

/** A group's items that may go now, oldest first (at most `limit`: a huge group sends the rest next). */
export async function readyItems(
  c: Queryable,
  g: { target_id: number; group_key: string },
  now: Date,
  limit: number,
): Promise<Alert[]> {
  const { rows } = await c.query(
    `SELECT ${ALERT_COLS} FROM notification_items i JOIN notifications n ON n.id = i.notification_id
     WHERE i.target_id = $1 AND i.group_key = $2 AND i.delivery_id IS NULL AND i.not_before <= $3
     ORDER BY n.id LIMIT $4`,
    [g.target_id, g.group_key, now, limit],
  );
  return rows;
}

export async function assignItems(
  c: Queryable,
  targetId: number,
  notificationIds: number[],
  deliveryId: number,
): Promise<void> {
  await c.query(
    `UPDATE notification_items SET delivery_id = $3
     WHERE target_id = $1 AND notification_id = ANY($2::bigint[]) AND delivery_id IS NULL`,
    [targetId, notificationIds, deliveryId],
  );
}

export async function markGroupSent(
  c: Queryable,
  targetId: number,
  groupKey: string,
  now: Date,
): Promise<void> {
  await c.query(`UPDATE notification_groups SET last_sent_at = $3 WHERE target_id = $1 AND group_key = $2`, [
    targetId,
    groupKey,
    now,
  ]);
}

/** Groups that last sent at least their repeat interval ago (per group key) and have nothing pending. */
export async function repeatCandidates(
  c: Queryable,
  now: Date,
  repeatS: (groupKey: string) => number,
): Promise<{ target_id: number; group_key: string; severity: Severity }[]> {
  const { rows } = await c.query(
    `SELECT g.target_id::int AS target_id, g.group_key, g.severity, extract(epoch FROM $1 - g.last_sent_at) AS age_s
     FROM notification_groups g JOIN notification_targets t ON t.id = g.target_id AND t.enabled
     WHERE g.last_sent_at IS NOT NULL AND g.group_key <> 'digest'
       AND NOT EXISTS (SELECT 1 FROM notification_items i
                       WHERE i.target_id = g.target_id AND i.group_key = g.group_key AND i.delivery_id IS NULL)`,
    [now],
  );
  return rows.filter((r) => Number(r.age_s) >= repeatS(r.group_key));
}

/** The alerts of a group still firing: the newest notification of each is not resolved or muted. */
export async function firingAlerts(c: Queryable, targetId: number, groupKey: string): Promise<Alert[]> {
  const { rows } = await c.query(
    `WITH keys AS (
       SELECT DISTINCT n.alert_key FROM notification_items i JOIN notifications n ON n.id = i.notification_id
       WHERE i.target_id = $1 AND i.group_key = $2 AND i.delivery_id IS NOT NULL),
     latest AS (
       SELECT DISTINCT ON (n.alert_key) ${ALERT_COLS} FROM notifications n JOIN keys USING (alert_key)
       ORDER BY n.alert_key, n.id DESC)
     SELECT id, alert_key, CASE WHEN event = 'unmuted' THEN 'created' ELSE event END AS event, type, severity,
            title, summary, labels, task_id, at
     FROM latest WHERE event IN ('created', 'escalated', 'unmuted') ORDER BY id`,
    [targetId, groupKey],
  );
  return rows;
}

/** The newest notification of an alert, to raise or resolve a system alert only when it changes. */
export async function latestEvent(c: Queryable, alertKey: string): Promise<string | undefined> {
  const { rows } = await c.query<{ event: string }>(
    `SELECT event FROM notifications WHERE alert_key = $1 ORDER BY id DESC LIMIT 1`,
    [alertKey],
  );
  return rows[0]?.event;
}

export async function insertSystemAlert(
  c: Queryable,
  a: {
    alertKey: string;
    event: 'created' | 'resolved';
    type: string;
    severity: Severity;
    title: string;
    summary: string;
    at: Date;
  },
): Promise<void> {
  await c.query(
    `INSERT INTO notifications (alert_key, event, type, severity, title, summary, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [a.alertKey, a.event, a.type, a.severity, a.title, a.summary, a.at],
  );
  await c.query(`SELECT pg_notify('awa_notifications', '')`);
}
