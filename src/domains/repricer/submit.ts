import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { Logger } from '../../platform/logger.ts';
import type { PriceSubmitter, SubmitOutcome } from './listings.client.ts';
import { recordFailures, recordSubmission } from './log.repo.ts';

export interface Submission {
  id: number;
  sku: string;
  price: string;
  currency: string;
}

export interface SubmitCounts {
  submitted: number;
  accepted: number;
  rejected: number;
  failed: number;
}

export interface SubmitProblem {
  sku: string;
  status: 'rejected' | 'failed';
  issues: unknown;
}

// Several calls in a row that Amazon did not answer (outage, throttling beyond retries) end the
// submissions: the rest are recorded failed and the next run starts from the prices in force.
const MAX_CONSECUTIVE_FAILURES = 5;
const LISTED_MAX = 100;

/**
 * Submits each price once (the shared client retries 429/5xx per its policy; a rejection is
 * recorded with Amazon's issues, never retried) and records every outcome on its price_updates_log
 * row. Calls run `submitter.concurrency` at a time; the client's token bucket sets the pace.
 */
export async function submitAll(
  deps: { db: Db; clock: Clock; log: Logger },
  submitter: PriceSubmitter,
  items: Submission[],
  onProgress?: (done: number) => void,
): Promise<{
  counts: SubmitCounts;
  problems: SubmitProblem[];
  stopped?: string;
  /** Each item's outcome by its price_updates_log id. */
  statuses: Map<number, 'accepted' | 'rejected' | 'failed'>;
}> {
  const counts: SubmitCounts = { submitted: 0, accepted: 0, rejected: 0, failed: 0 };
  const statuses = new Map<number, 'accepted' | 'rejected' | 'failed'>();
  const problems: SubmitProblem[] = [];
  let next = 0;
  let consecutive = 0;
  let stopped: string | undefined;

  const record = async (item: Submission, o: SubmitOutcome) => {
    statuses.set(item.id, o.status);
    if (o.status === 'failed') {
      counts.failed++;
      consecutive++;
      const issues = [{ message: o.message }];
      if (problems.length < LISTED_MAX) problems.push({ sku: item.sku, status: 'failed', issues });
      await recordSubmission(deps.db.pool, item.id, { status: 'failed', issues }, deps.clock.now());
      if (o.auth) stopped ??= o.message;
      else if (consecutive >= MAX_CONSECUTIVE_FAILURES)
        stopped ??= `${consecutive} submissions in a row failed (last: ${o.message})`;
      return;
    }
    consecutive = 0;
    counts[o.status]++;
    if (o.status === 'rejected' && problems.length < LISTED_MAX) {
      problems.push({ sku: item.sku, status: 'rejected', issues: o.issues });
    }
    await recordSubmission(
      deps.db.pool,
      item.id,
      { status: o.status, submission_id: o.submissionId, issues: o.issues },
      deps.clock.now(),
    );
  };

  const worker = async () => {
    while (stopped === undefined && next < items.length) {
      const item = items[next++]!;
      counts.submitted++;
      let outcome: SubmitOutcome;
      try {
        outcome = await submitter.submit(item);
      } catch (err) {
        outcome = { status: 'failed', message: err instanceof Error ? err.message : String(err) };
      }
      await record(item, outcome);
      onProgress?.(counts.submitted);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, submitter.concurrency) }, worker));

  if (stopped !== undefined) {
    deps.log.warn({ reason: stopped, left: items.length - next }, 'repricer: submissions stopped');
    const issues = [{ message: `not submitted: ${stopped}` }];
    const left = items.slice(next);
    counts.failed += left.length;
    for (const i of left) statuses.set(i.id, 'failed');
    await recordFailures(
      deps.db.pool,
      left.map((i) => i.id),
      issues,
      deps.clock.now(),
    );
  }
  return { counts, problems, stopped, statuses };
}
