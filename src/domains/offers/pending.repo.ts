import type { Queryable } from '../../platform/db/queryable.ts';

/**
 * The per-ASIN debounce (offer_pending). A notified change makes a decision owed `debounceMs` after
 * the ASIN's last notification, but no later than twice that after its first, so a burst yields one
 * decision and a stream of changes still gets one every 2 × debounce. Times are the receiving
 * worker's clock, not Amazon's: the debounce is about our work, not the market's.
 */

export async function owe(
  q: Queryable,
  p: { marketplace: string; asin: string; at: Date; debounceMs: number },
): Promise<void> {
  await q.query(
    `INSERT INTO offer_pending AS p (marketplace, asin, first_at, last_at, due_at, events)
     VALUES ($1, $2, $3::timestamptz, $3::timestamptz, $3::timestamptz + $4::int * interval '1 millisecond', 1)
     ON CONFLICT (marketplace, asin) DO UPDATE SET
       last_at = greatest(p.last_at, EXCLUDED.last_at),
       events = p.events + 1,
       version = p.version + 1,
       due_at = least(greatest(p.last_at, EXCLUDED.last_at) + $4::int * interval '1 millisecond',
                      p.first_at + 2 * $4::int * interval '1 millisecond')`,
    [p.marketplace, p.asin, p.at, p.debounceMs],
  );
}

export interface Claimed {
  asin: string;
  version: number;
  events: number;
  first_at: Date;
}

/**
 * Claims up to `limit` due ASINs for `worker` until `leaseUntil`. SKIP LOCKED lets workers claim
 * side by side without waiting on each other, and the lease (claimed_until) keeps a claimed ASIN
 * from every other worker after this statement commits, until it is finished or the lease runs out
 * (the claimer died: another worker then decides it).
 */
export async function claimDue(
  q: Queryable,
  c: { marketplace: string; now: Date; limit: number; worker: string; leaseUntil: Date },
): Promise<Claimed[]> {
  const { rows } = await q.query<Claimed>(
    `WITH due AS (
       SELECT marketplace, asin FROM offer_pending
       WHERE marketplace = $1 AND due_at <= $2::timestamptz AND (claimed_until IS NULL OR claimed_until < $2::timestamptz)
       ORDER BY due_at LIMIT $3
       FOR UPDATE SKIP LOCKED
     )
     UPDATE offer_pending p SET claimed_by = $4, claimed_until = $5
     FROM due WHERE p.marketplace = due.marketplace AND p.asin = due.asin
     RETURNING p.asin, p.version, p.events, p.first_at`,
    [c.marketplace, c.now, c.limit, c.worker, c.leaseUntil],
  );
  return rows;
}

/**
 * After the decision: an ASIN nobody notified meanwhile is done (its row goes); one notified again
 * while it was being decided (its version moved on) is released for one more decision, owed
 * `debounceMs` after its latest notification. `retryAt` instead releases every claimed ASIN to be
 * tried again then (the decision failed).
 */
export async function finishClaims(
  q: Queryable,
  f: {
    marketplace: string;
    worker: string;
    claimed: Array<Pick<Claimed, 'asin' | 'version'>>;
    debounceMs: number;
    retryAt?: Date;
  },
): Promise<void> {
  const asins = f.claimed.map((c) => c.asin);
  const versions = f.claimed.map((c) => c.version);
  if (!f.retryAt) {
    await q.query(
      `DELETE FROM offer_pending p USING unnest($3::text[], $4::int[]) AS c(asin, version)
       WHERE p.marketplace = $1 AND p.asin = c.asin AND p.version = c.version AND p.claimed_by = $2`,
      [f.marketplace, f.worker, asins, versions],
    );
  }
  await q.query(
    `UPDATE offer_pending SET claimed_by = NULL, claimed_until = NULL,
       first_at = coalesce($5::timestamptz, last_at), events = 1,
       due_at = coalesce($5::timestamptz, last_at + $4::int * interval '1 millisecond')
     WHERE marketplace = $1 AND claimed_by = $2 AND asin = ANY($3::text[])`,
    [f.marketplace, f.worker, asins, f.debounceMs, f.retryAt ?? null],
  );
}

/** The earliest time a decision is owed (null when none is): the consumer sleeps no longer than that. */
export async function nextDue(q: Queryable, marketplace: string): Promise<Date | null> {
  const { rows } = await q.query<{ at: Date | null }>(
    `SELECT min(greatest(due_at, coalesce(claimed_until, due_at))) AS at FROM offer_pending WHERE marketplace = $1`,
    [marketplace],
  );
  return rows[0]?.at ?? null;
}
