import { randomUUID } from 'node:crypto';
import { messageOf } from '../../platform/errors.ts';
import type { Mode } from '../repricer/plan.ts';
import { type RepricerDeps, runRepricer } from '../repricer/run.service.ts';
import { insertDecision } from './offers.repo.ts';
import { claimDue, finishClaims } from './pending.repo.ts';

// A claimed ASIN is kept from other workers this long; past it the claimer is taken for dead. Longer
// than a decision takes: a live one submits a few prices at 5/s.
const LEASE_MS = 5 * 60_000;
// A failed decision (database, SP-API refusing) is tried again after this, not in a tight loop.
const RETRY_MS = 60_000;
// ASINs decided in one repricer run (one repricer_log run, one breaker judgement).
const BATCH = 50;

export interface DecideDeps extends RepricerDeps {
  /** This consumer's id: the claims are its own. */
  worker: string;
}

export interface Decided {
  runId: string;
  asins: string[];
  notifications: number;
  firstAt: Date;
  status: 'success' | 'tripped' | 'failed';
  counts: Record<string, number>;
  error?: string;
}

/**
 * Decides the notified ASINs whose debounce is over: claims them, runs the repricer's own decision
 * for their listings (same rules, guards and breaker as the scheduled run, the same REPRICER_MODE
 * meaning: dry_run logs, apply records, live submits), records the run in offer_decisions and frees
 * the claims. Returns undefined when nothing was due.
 */
export async function decideDue(deps: DecideDeps, mode: Mode): Promise<Decided | undefined> {
  const now = deps.clock.now();
  const marketplace = deps.config.AWA_MARKETPLACE;
  const claimed = await claimDue(deps.db.pool, {
    marketplace,
    now,
    limit: BATCH,
    worker: deps.worker,
    leaseUntil: new Date(now.getTime() + LEASE_MS),
  });
  if (claimed.length === 0) return undefined;
  const asins = claimed.map((c) => c.asin).sort();
  const runId = randomUUID();
  const notifications = claimed.reduce((n, c) => n + c.events, 0);
  const firstAt = new Date(Math.min(...claimed.map((c) => c.first_at.getTime())));
  const debounceMs = deps.config.OFFERS_DEBOUNCE_MS;
  let out: Decided;
  try {
    const run = await runRepricer(deps, { runId, mode, asins, trigger: 'notification' });
    out = { runId, asins, notifications, firstAt, status: run.status, counts: run.counts };
  } catch (err) {
    out = { runId, asins, notifications, firstAt, status: 'failed', counts: {}, error: messageOf(err) };
    deps.log.error({ err, asins: asins.length }, 'offers: decision failed; tried again later');
  }
  await insertDecision(deps.db.pool, {
    runId,
    marketplace,
    asins,
    notifications,
    firstAt,
    decidedAt: deps.clock.now(),
    mode,
    status: out.status,
    counts: out.counts,
    error: out.error ?? null,
  });
  await finishClaims(deps.db.pool, {
    marketplace,
    worker: deps.worker,
    claimed,
    debounceMs,
    retryAt: out.status === 'failed' ? new Date(deps.clock.now().getTime() + RETRY_MS) : undefined,
  });
  return out;
}
