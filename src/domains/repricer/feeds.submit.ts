import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import { messageOf } from '../../platform/errors.ts';
import { realSleep, type Sleep } from '../../platform/http/client.ts';
import type { Logger } from '../../platform/logger.ts';
import type { FeedStatus, FeedsClient, ReportIssue } from './feeds.client.ts';
import * as repo from './feeds.repo.ts';
import { recordFailures } from './log.repo.ts';
import type { Submission, SubmitProblem } from './submit.ts';

/** SPEC §8: more changes than this in one live run go out as one JSON_LISTINGS_FEED. */
export const FEED_THRESHOLD = 500;
/** How long a run waits for its feed; after that the rows stay pending for the next run. */
export const FEED_POLL_LIMIT_MS = 5 * 60_000;
// Amazon processes a small price feed in a minute or two; poll at 15 s, 30 s, then every 60 s
const FIRST_POLL_MS = 15_000;
const MAX_POLL_MS = 60_000;
const LISTED_MAX = 100;

export interface FeedDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  sleep?: Sleep;
  pollLimitMs?: number;
}

export interface FeedCounts {
  submitted: number;
  accepted: number;
  rejected: number;
  failed: number;
  pending: number;
}

const zero = (): FeedCounts => ({ submitted: 0, accepted: 0, rejected: 0, failed: 0, pending: 0 });
const TERMINAL = new Set(['DONE', 'CANCELLED', 'FATAL']);

/**
 * A terminal feed's rows: DONE → messages with an ERROR issue rejected (with their issues), the rest
 * accepted (with any warnings); CANCELLED/FATAL → all failed. A DONE feed whose report cannot be
 * read stays pending (the next run reads it again); returns undefined then.
 */
async function resolveFeed(
  deps: FeedDeps,
  feeds: FeedsClient,
  marketplace: string,
  feed: FeedStatus,
  problems: SubmitProblem[],
): Promise<FeedCounts | undefined> {
  const rows = await repo.pendingFeedRows(deps.db.pool, marketplace, feed.feedId);
  const counts = zero();
  let outcomes: repo.RowOutcome[];
  if (feed.processingStatus === 'DONE') {
    let issues: ReportIssue[];
    try {
      if (!feed.resultFeedDocumentId) throw new Error('DONE without resultFeedDocumentId');
      issues = (await feeds.report(feed.resultFeedDocumentId)).issues;
    } catch (err) {
      deps.log.warn({ feedId: feed.feedId, err: messageOf(err) }, 'repricer: feed report unreadable');
      return undefined;
    }
    const byMessage = new Map<number, ReportIssue[]>();
    for (const i of issues) {
      if (typeof i.messageId !== 'number') continue;
      byMessage.set(i.messageId, [...(byMessage.get(i.messageId) ?? []), i]);
    }
    outcomes = rows.map((r) => {
      const own = byMessage.get(r.messageId) ?? [];
      const rejected = own.some((i) => i.severity === 'ERROR');
      return { id: r.id, status: rejected ? 'rejected' : 'accepted', issues: own };
    });
  } else {
    const issues = [{ message: `feed ${feed.feedId} ended ${feed.processingStatus}` }];
    outcomes = rows.map((r) => ({ id: r.id, status: 'failed', issues }));
  }
  const skuOf = new Map(rows.map((r) => [r.id, r.sku]));
  for (const o of outcomes) {
    counts[o.status]++;
    if (o.status !== 'accepted' && problems.length < LISTED_MAX) {
      problems.push({ sku: skuOf.get(o.id)!, status: o.status, issues: o.issues });
    }
  }
  await repo.recordFeedOutcomes(deps.db.pool, outcomes, deps.clock.now());
  return counts;
}

async function status(deps: FeedDeps, feeds: FeedsClient, feedId: string): Promise<FeedStatus | undefined> {
  try {
    return await feeds.getFeed(feedId);
  } catch (err) {
    // retries exhausted: not an answer about the feed; the next poll or run asks again
    deps.log.warn({ feedId, err: messageOf(err) }, 'repricer: getFeed failed');
    return undefined;
  }
}

/**
 * Sends the prices as one JSON_LISTINGS_FEED (messageId = position + 1), records the feedId and
 * messageId on every row, then polls getFeed with backoff for up to `pollLimitMs` of waiting. A feed
 * not finished by then leaves its rows pending: the next run resolves it before deciding anything.
 * A feed that could not be created fails every row (nothing reached Amazon; the next run re-decides).
 */
export async function submitFeed(
  deps: FeedDeps,
  feeds: FeedsClient,
  marketplace: string,
  items: Submission[],
): Promise<{ counts: FeedCounts; problems: SubmitProblem[]; feedId?: string; stopped?: string }> {
  const counts = { ...zero(), submitted: items.length };
  const problems: SubmitProblem[] = [];
  let feedId: string;
  try {
    feedId = await feeds.submit(items.map((it, i) => ({ ...it, messageId: i + 1 })));
  } catch (err) {
    const stopped = `feed not created: ${messageOf(err)}`;
    deps.log.warn({ reason: stopped, items: items.length }, 'repricer: feed submission failed');
    await recordFailures(
      deps.db.pool,
      items.map((i) => i.id),
      [{ message: stopped }],
      deps.clock.now(),
    );
    counts.failed = items.length;
    return { counts, problems, stopped };
  }
  await repo.markFeedSubmitted(
    deps.db.pool,
    feedId,
    items.map((it, i) => ({ id: it.id, messageId: i + 1 })),
    deps.clock.now(),
  );
  const sleep = deps.sleep ?? realSleep;
  const limit = deps.pollLimitMs ?? FEED_POLL_LIMIT_MS;
  let waited = 0;
  let delay = FIRST_POLL_MS;
  while (waited < limit) {
    const ms = Math.min(delay, limit - waited);
    await sleep(ms);
    waited += ms;
    delay = Math.min(delay * 2, MAX_POLL_MS);
    const f = await status(deps, feeds, feedId);
    if (!f || !TERMINAL.has(f.processingStatus)) continue;
    const done = await resolveFeed(deps, feeds, marketplace, f, problems);
    if (done) return { counts: { ...done, submitted: items.length }, problems, feedId };
  }
  counts.pending = items.length;
  deps.log.info({ feedId, waitedMs: waited }, 'repricer: feed still processing; the next run resolves it');
  return { counts, problems, feedId };
}

/**
 * Start of a live run: one getFeed per feed left pending by earlier runs; finished ones are resolved
 * (their accepted prices are then in force for this run's decisions). Feeds still processing keep
 * their rows pending; the caller leaves their SKUs out of this run's submissions.
 */
export async function resolvePendingFeeds(
  deps: FeedDeps,
  feeds: FeedsClient,
  marketplace: string,
): Promise<{ counts: Record<string, number>; problems: SubmitProblem[] }> {
  const ids = await repo.pendingFeedIds(deps.db.pool, marketplace);
  const counts = { feeds_resolved: 0, feeds_pending: 0, accepted: 0, rejected: 0, failed: 0 };
  const problems: SubmitProblem[] = [];
  for (const feedId of ids) {
    const f = await status(deps, feeds, feedId);
    const done =
      f && TERMINAL.has(f.processingStatus)
        ? await resolveFeed(deps, feeds, marketplace, f, problems)
        : undefined;
    if (!done) {
      counts.feeds_pending++;
      continue;
    }
    counts.feeds_resolved++;
    counts.accepted += done.accepted;
    counts.rejected += done.rejected;
    counts.failed += done.failed;
  }
  return { counts, problems };
}
