import type { Queryable } from '../../platform/db/queryable.ts';
import type { OfferChange } from './notification.parse.ts';

/** SQL of the offers domain: notifications received, messages refused, decisions made. */

export type NotificationStatus = 'applied' | 'stale' | 'ignored';

/**
 * Whether a notification of this ASIN with a later TimeOfOfferChange is already recorded: then this
 * one arrived out of order (SQS does not keep order) and must not stand as the current state.
 */
export async function newerRecorded(
  q: Queryable,
  marketplace: string,
  asin: string,
  changedAt: Date,
): Promise<boolean> {
  const { rows } = await q.query(
    `SELECT 1 FROM offer_notifications
     WHERE marketplace = $1 AND asin = $2 AND changed_at > $3 AND status <> 'ignored' LIMIT 1`,
    [marketplace, asin, changedAt],
  );
  return rows.length > 0;
}

/** Inserts the notification once; false when its NotificationId is already recorded (a duplicate). */
export async function insertNotification(
  q: Queryable,
  n: {
    change: OfferChange;
    marketplace: string | null;
    receivedAt: Date;
    status: NotificationStatus;
    note: string | null;
  },
): Promise<boolean> {
  const c = n.change;
  const r = await q.query(
    `INSERT INTO offer_notifications (notification_id, marketplace, marketplace_id, asin, changed_at, received_at,
       buybox, currency, offers_new, offers_fba, status, note)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (notification_id) DO NOTHING`,
    [
      c.notificationId,
      n.marketplace,
      c.marketplaceId,
      c.asin,
      c.changedAt,
      n.receivedAt,
      c.buybox?.price ?? null,
      c.buybox?.currency ?? null,
      c.offersNew,
      c.offersFba,
      n.status,
      n.note,
    ],
  );
  return (r.rowCount ?? 0) > 0;
}

const BODY_KEPT = 4096;

export async function insertReject(
  q: Queryable,
  r: { messageId: string; receivedAt: Date; reason: string; body: string },
): Promise<void> {
  await q.query('INSERT INTO offer_rejects (message_id, received_at, reason, body) VALUES ($1, $2, $3, $4)', [
    r.messageId,
    r.receivedAt,
    r.reason,
    r.body.slice(0, BODY_KEPT),
  ]);
}

export interface DecisionRecord {
  runId: string;
  marketplace: string;
  asins: string[];
  notifications: number;
  firstAt: Date;
  decidedAt: Date;
  mode: string;
  status: 'success' | 'tripped' | 'failed';
  counts: Record<string, number>;
  error: string | null;
}

export async function insertDecision(q: Queryable, d: DecisionRecord): Promise<void> {
  await q.query(
    `INSERT INTO offer_decisions (run_id, marketplace, asins, notifications, first_at, decided_at, mode, status,
       counts, error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      d.runId,
      d.marketplace,
      d.asins,
      d.notifications,
      d.firstAt,
      d.decidedAt,
      d.mode,
      d.status,
      JSON.stringify(d.counts),
      d.error,
    ],
  );
}

export interface OffersSummary {
  notifications_24h: number;
  applied_24h: number;
  stale_24h: number;
  ignored_24h: number;
  rejected_24h: number;
  last_notification_at: Date | null;
  last_changed_at: Date | null;
  last_asin: string | null;
  pending: number;
  decisions_24h: number;
  tripped_24h: number;
  last_decision_at: Date | null;
  last_decision_run: string | null;
}

/** What `awa offers status` shows: the last day's traffic and decisions, the newest of each. */
export async function summary(q: Queryable, now: Date): Promise<OffersSummary> {
  const since = new Date(now.getTime() - 86_400_000);
  const { rows } = await q.query<OffersSummary>(
    `SELECT
       (SELECT count(*) FROM offer_notifications WHERE received_at > $1)::int AS notifications_24h,
       (SELECT count(*) FROM offer_notifications WHERE received_at > $1 AND status = 'applied')::int AS applied_24h,
       (SELECT count(*) FROM offer_notifications WHERE received_at > $1 AND status = 'stale')::int AS stale_24h,
       (SELECT count(*) FROM offer_notifications WHERE received_at > $1 AND status = 'ignored')::int AS ignored_24h,
       (SELECT count(*) FROM offer_rejects WHERE received_at > $1)::int AS rejected_24h,
       l.received_at AS last_notification_at, l.changed_at AS last_changed_at, l.asin AS last_asin,
       (SELECT count(*) FROM offer_pending)::int AS pending,
       (SELECT count(*) FROM offer_decisions WHERE decided_at > $1)::int AS decisions_24h,
       (SELECT count(*) FROM offer_decisions WHERE decided_at > $1 AND status = 'tripped')::int AS tripped_24h,
       d.decided_at AS last_decision_at, d.run_id::text AS last_decision_run
     FROM (SELECT 1) one
     LEFT JOIN LATERAL (SELECT received_at, changed_at, asin FROM offer_notifications
                        ORDER BY received_at DESC LIMIT 1) l ON true
     LEFT JOIN LATERAL (SELECT decided_at, run_id FROM offer_decisions ORDER BY decided_at DESC LIMIT 1) d ON true`,
    [since],
  );
  return rows[0]!;
}

// rows removed per table per call: a run trims a bounded amount, the next run the rest
const TRIM_BATCH = 10_000;

/**
 * Forgets notifications, refused messages and decision records older than `before` (the repricer
 * log's retention: a decision record outliving its repricer_log rows would point at nothing).
 * NotificationIds only need remembering while SQS may still redeliver (at most 14 days).
 */
export async function trimBefore(q: Queryable, before: Date): Promise<number> {
  const params = [before, TRIM_BATCH];
  const results = [
    await q.query(
      `DELETE FROM offer_notifications WHERE notification_id IN
         (SELECT notification_id FROM offer_notifications WHERE received_at < $1 LIMIT $2)`,
      params,
    ),
    await q.query(
      'DELETE FROM offer_rejects WHERE id IN (SELECT id FROM offer_rejects WHERE received_at < $1 LIMIT $2)',
      params,
    ),
    await q.query(
      'DELETE FROM offer_decisions WHERE run_id IN (SELECT run_id FROM offer_decisions WHERE decided_at < $1 LIMIT $2)',
      params,
    ),
  ];
  return results.reduce((n, r) => n + (r.rowCount ?? 0), 0);
}
