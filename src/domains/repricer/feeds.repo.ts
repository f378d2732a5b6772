import type { Queryable } from '../../platform/db/queryable.ts';

/** A feed's rows: the message each price went out as. */
export interface FeedRow {
  id: number;
  sku: string;
  messageId: number;
}

/** After createFeed: every row of the feed gets the feedId and its messageId (still pending). */
export async function markFeedSubmitted(
  q: Queryable,
  feedId: string,
  rows: { id: number; messageId: number }[],
  at: Date,
): Promise<void> {
  await q.query(
    `UPDATE price_updates_log p SET submission_id = $1, feed_message_id = m.message_id, submitted_at = $4,
       updated_at = $4
     FROM unnest($2::bigint[], $3::int[]) AS m(id, message_id) WHERE p.id = m.id`,
    [feedId, rows.map((r) => r.id), rows.map((r) => r.messageId), at],
  );
}

/** Feeds of the marketplace with rows still pending (served by price_updates_log_pending_feed_idx). */
export async function pendingFeedIds(q: Queryable, marketplace: string): Promise<string[]> {
  const { rows } = await q.query<{ feed_id: string }>(
    `SELECT DISTINCT submission_id AS feed_id FROM price_updates_log
     WHERE marketplace = $1 AND submission_status = 'pending' AND feed_message_id IS NOT NULL
     ORDER BY 1`,
    [marketplace],
  );
  return rows.map((r) => r.feed_id);
}

/** SKUs with a price still travelling in a feed: a run must not send them again. */
export async function pendingFeedSkus(q: Queryable, marketplace: string): Promise<Set<string>> {
  const { rows } = await q.query<{ sku: string }>(
    `SELECT DISTINCT sku FROM price_updates_log
     WHERE marketplace = $1 AND submission_status = 'pending' AND feed_message_id IS NOT NULL`,
    [marketplace],
  );
  return new Set(rows.map((r) => r.sku));
}

export async function pendingFeedRows(q: Queryable, marketplace: string, feedId: string): Promise<FeedRow[]> {
  const { rows } = await q.query<{ id: string; sku: string; message_id: number }>(
    `SELECT id, sku, feed_message_id AS message_id FROM price_updates_log
     WHERE marketplace = $1 AND submission_id = $2 AND submission_status = 'pending'
       AND feed_message_id IS NOT NULL
     ORDER BY feed_message_id`,
    [marketplace, feedId],
  );
  return rows.map((r) => ({ id: Number(r.id), sku: r.sku, messageId: r.message_id }));
}

export interface RowOutcome {
  id: number;
  status: 'accepted' | 'rejected' | 'failed';
  issues: unknown[];
}

/** Final statuses of a feed's rows, in one statement; only rows still pending change. */
export async function recordFeedOutcomes(q: Queryable, outcomes: RowOutcome[], at: Date): Promise<void> {
  if (outcomes.length === 0) return;
  await q.query(
    `UPDATE price_updates_log p SET submission_status = o.status, issues = o.issues, updated_at = $4
     FROM unnest($1::bigint[], $2::text[], $3::jsonb[]) AS o(id, status, issues)
     WHERE p.id = o.id AND p.submission_status = 'pending'`,
    [
      outcomes.map((o) => o.id),
      outcomes.map((o) => o.status),
      outcomes.map((o) => JSON.stringify(o.issues)),
      at,
    ],
  );
}
