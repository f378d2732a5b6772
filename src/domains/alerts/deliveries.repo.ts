import type { Queryable } from '../../platform/db/queryable.ts';
import type { Delivery, Payload, Severity } from './alerts.types.ts';

/**
 * Messages and their delivery state. A worker takes a lease before it sends (so the row says "being
 * sent" before anything leaves), writes `inflight_part` before each part and clears it once the part
 * was accepted; every write after the lease is fenced on `leased_by`, so a worker whose lease ran out
 * and was taken over cannot overwrite its successor.
 */

const COLS = `id::int AS id, key, target_id::int AS target_id, group_key, kind, severity, payload, state, attempts,
  parts_done, inflight_part, uncertain, created_at`;

export async function insertDelivery(
  c: Queryable,
  d: {
    key: string;
    targetId: number;
    groupKey: string;
    kind: Delivery['kind'];
    severity: Severity;
    payload: Payload;
    now: Date;
  },
): Promise<number> {
  const { rows } = await c.query<{ id: number }>(
    `INSERT INTO notification_deliveries (key, target_id, group_key, kind, severity, payload, next_attempt_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id::int AS id`,
    [d.key, d.targetId, d.groupKey, d.kind, d.severity, JSON.stringify(d.payload), d.now],
  );
  return rows[0]!.id;
}

/**
 * Takes due messages: at most one per target (a chat gets its messages in order, one sender at a
 * time, whichever worker sends), including ones whose lease ran out (their worker died). A taken row
 * whose `inflight_part` is set was cut off mid-send: that part's fate is unknown, so it is `uncertain`.
 */
export async function claim(
  c: Queryable,
  o: {
    now: Date;
    worker: string;
    leaseS: number;
    limit: number;
    ids?: number[];
    channels?: string[];
    /** Due whatever the retry schedule says (a test message someone is waiting for). */
    now_ok?: boolean;
  },
): Promise<Delivery[]> {
  const { rows } = await c.query(
    `WITH busy AS (
       SELECT DISTINCT target_id FROM notification_deliveries WHERE state = 'sending' AND lease_until > $1),
     firsts AS (
       SELECT DISTINCT ON (d.target_id) d.id, d.next_attempt_at, d.state, d.lease_until
       FROM notification_deliveries d JOIN notification_targets t ON t.id = d.target_id AND t.enabled
       WHERE d.state IN ('pending', 'sending') AND d.target_id NOT IN (SELECT target_id FROM busy)
         AND ($5::bigint[] IS NULL OR d.id = ANY($5::bigint[])) AND ($6::text[] IS NULL OR t.channel = ANY($6::text[]))
       ORDER BY d.target_id, d.id),
     due AS (
       SELECT d.id FROM notification_deliveries d JOIN firsts f USING (id)
       WHERE (f.next_attempt_at <= $1 OR $7) AND (f.state = 'pending' OR f.lease_until <= $1)
       ORDER BY d.id LIMIT $4 FOR UPDATE OF d SKIP LOCKED)
     UPDATE notification_deliveries d
     SET state = 'sending', leased_by = $2, lease_until = $1::timestamptz + $3 * interval '1 second', attempts = d.attempts + 1,
         uncertain = d.uncertain OR d.inflight_part IS NOT NULL
     FROM due WHERE d.id = due.id
     RETURNING d.id::int AS id, d.key, d.target_id::int AS target_id, d.group_key, d.kind, d.severity, d.payload,
       d.state, d.attempts, d.parts_done, d.inflight_part, d.uncertain, d.created_at`,
    [o.now, o.worker, o.leaseS, o.limit, o.ids ?? null, o.channels ?? null, o.now_ok ?? false],
  );
  return rows;
}

/** Written just before a part is sent; false when the lease is no longer ours (stop sending). */
export async function beginPart(
  c: Queryable,
  id: number,
  worker: string,
  part: number,
  now: Date,
  leaseS: number,
): Promise<boolean> {
  const r = await c.query(
    `UPDATE notification_deliveries SET inflight_part = $3, lease_until = $4::timestamptz + $5 * interval '1 second'
     WHERE id = $1 AND leased_by = $2 AND state = 'sending'`,
    [id, worker, part, now, leaseS],
  );
  return r.rowCount === 1;
}

/** Keeps a lease while a long message is still going out. */
export async function renewLease(
  c: Queryable,
  id: number,
  worker: string,
  now: Date,
  leaseS: number,
): Promise<void> {
  await c.query(
    `UPDATE notification_deliveries SET lease_until = $3::timestamptz + $4 * interval '1 second'
     WHERE id = $1 AND leased_by = $2 AND state = 'sending'`,
    [id, worker, now, leaseS],
  );
}

export async function partDone(c: Queryable, id: number, worker: string, part: number): Promise<void> {
  await c.query(
    `UPDATE notification_deliveries SET parts_done = $3 + 1, inflight_part = NULL
     WHERE id = $1 AND leased_by = $2 AND state = 'sending'`,
    [id, worker, part],
  );
}

export async function markDelivered(c: Queryable, id: number, worker: string, now: Date): Promise<void> {
  await c.query(
    `UPDATE notification_deliveries
     SET state = 'delivered', delivered_at = $3, lease_until = NULL, inflight_part = NULL, last_error = NULL
     WHERE id = $1 AND leased_by = $2 AND state = 'sending'`,
    [id, worker, now],
  );
}

/** A failed attempt: back to pending at `retryAt`, or failed for good when there is none. */
export async function markFailed(
  c: Queryable,
  id: number,
  worker: string,
  error: string,
  retryAt: Date | undefined,
): Promise<void> {
  await c.query(
    `UPDATE notification_deliveries
     SET state = CASE WHEN $4::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
         next_attempt_at = coalesce($4, next_attempt_at), lease_until = NULL, inflight_part = NULL,
         last_error = left($3, 1000)
     WHERE id = $1 AND leased_by = $2 AND state = 'sending'`,
    [id, worker, error, retryAt ?? null],
  );
}

export async function getDelivery(
  c: Queryable,
  id: number,
): Promise<(Delivery & { last_error: string | null }) | undefined> {
  const { rows } = await c.query(`SELECT ${COLS}, last_error FROM notification_deliveries WHERE id = $1`, [
    id,
  ]);
  return rows[0];
}

export interface DeliveryRow {
  id: number;
  key: string;
  target_id: number;
  channel: string;
  kind: string;
  severity: string;
  state: string;
  attempts: number;
  alerts: number;
  uncertain: boolean;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

export async function listDeliveries(
  c: Queryable,
  q: { state?: string; limit: number; offset: number },
): Promise<{ items: DeliveryRow[]; total: number }> {
  const { rows } = await c.query(
    `SELECT d.id::int AS id, d.key, d.target_id::int AS target_id, t.channel, d.kind, d.severity, d.state, d.attempts,
            jsonb_array_length(coalesce(d.payload -> 'data' -> 'alerts', '[]'))::int AS alerts, d.uncertain,
            d.last_error, d.created_at, d.delivered_at, count(*) OVER ()::int AS total
     FROM notification_deliveries d JOIN notification_targets t ON t.id = d.target_id
     WHERE $1::text IS NULL OR d.state = $1
     ORDER BY d.id DESC LIMIT $2 OFFSET $3`,
    [q.state ?? null, q.limit, q.offset],
  );
  return { items: rows.map(({ total: _t, ...r }) => r), total: rows[0]?.total ?? 0 };
}

export async function waitingCounts(c: Queryable): Promise<Record<string, number>> {
  const { rows } = await c.query(
    `SELECT (SELECT count(*) FROM notifications WHERE routed_at IS NULL)::int AS unrouted,
            (SELECT count(*) FROM notification_items WHERE delivery_id IS NULL)::int AS waiting_items,
            (SELECT count(*) FROM notification_deliveries WHERE state IN ('pending', 'sending'))::int AS pending_messages,
            (SELECT count(*) FROM notification_deliveries WHERE state = 'failed')::int AS failed_messages`,
  );
  return rows[0];
}
