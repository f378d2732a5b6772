import { performance } from 'node:perf_hooks';
import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/pool.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import { AppError } from '../../platform/errors.ts';
import type { Sleep } from '../../platform/http/client.ts';
import type { Logger } from '../../platform/logger.ts';
import { breakerTripped, isBigDrop, type PricedDecision } from './decide.ts';
import { pendingFeedSkus } from './feeds.repo.ts';
import { FEED_THRESHOLD, resolvePendingFeeds, submitFeed } from './feeds.submit.ts';
import { loadInputs, skusOnAsins } from './inputs.repo.ts';
import { missingLiveConfig, type PriceSubmitter } from './listings.client.ts';
import { type PriceUpdate, writeRun } from './log.repo.ts';
import { type LoggedDecision, type Mode, planListing, settingsFrom } from './plan.ts';
import { type SubmitProblem, submitAll } from './submit.ts';

export interface RepricerDeps {
  db: Db;
  config: Config;
  clock: Clock;
  log: Logger;
  /** Live mode's SP-API submitter; created on first use (it needs the credentials). */
  submitter?: () => PriceSubmitter;
  /** Waits between getFeed polls (virtual in tests), and how long in total (FEED_POLL_LIMIT_MS). */
  sleep?: Sleep;
  feedPollLimitMs?: number;
}

export interface RepricerInput {
  runId: string;
  mode: Mode;
  /**
   * Only the active listings on these ASINs (a notified offer change); every active listing when
   * absent. The guards and the breaker are the same, judged over the listings decided.
   */
  asins?: string[];
  /** What started the run, for the log line (`schedule`, `notification`, …). */
  trigger?: string;
  onProgress?: (p: Record<string, number | string>) => void;
}

export interface RepricerRun {
  status: 'success' | 'tripped';
  reason?: string;
  counts: Record<string, number>;
  result: Record<string, unknown>;
}

const LISTED_MAX = 100;
const BATCH = 2_000;
function priceUpdate(d: LoggedDecision, run: { runId: string; mode: 'apply' | 'live'; marketplace: string }) {
  const u: PriceUpdate = {
    marketplace: run.marketplace,
    sku: d.sku,
    asin: d.asin,
    currency: d.currency,
    old_price: d.old_price,
    new_price: d.final_price!,
    strategy: d.strategy,
    actor: 'repricer',
    context: {
      guards: d.guards,
      buybox: d.buybox,
      floor: d.floor,
      ceiling: d.ceiling,
      proposed: d.proposed,
      reason: d.reason,
    },
    run_id: run.runId,
    mode: run.mode,
    submission_status: run.mode === 'live' ? 'pending' : 'not_submitted',
  };
  return u;
}

/**
 * One repricer run (SPEC §8): decide every active listing of the marketplace, log every decision,
 * and — unless the circuit breaker trips — record the changed prices (apply) and submit them to
 * Amazon (live). dry_run decides and logs only: the log is the run's record, not business data.
 */
export async function runRepricer(deps: RepricerDeps, input: RepricerInput): Promise<RepricerRun> {
  const { db, config, log } = deps;
  const { mode, runId } = input;
  if (mode === 'live') {
    const missing = missingLiveConfig(config);
    if (missing.length > 0) {
      throw new AppError(
        'config',
        `repricer live mode needs ${missing.join(', ')}; set ${missing.length > 1 ? 'them' : 'it'} or run with --mode apply or dry_run`,
        { missing },
      );
    }
  }
  const s = settingsFrom(config);
  const feedDeps = { db, clock: deps.clock, log, sleep: deps.sleep, pollLimitMs: deps.feedPollLimitMs };
  // feeds left pending by earlier runs first: their accepted prices are in force for this run, and
  // SKUs still travelling in a feed are not sent again
  let earlier: Awaited<ReturnType<typeof resolvePendingFeeds>> | undefined;
  let inFeed = new Set<string>();
  const liveFeeds = mode === 'live' ? deps.submitter?.().feeds : undefined;
  if (liveFeeds) {
    input.onProgress?.({ stage: 'resolving feeds' });
    earlier = await resolvePendingFeeds(feedDeps, liveFeeds, s.marketplace);
    inFeed = await pendingFeedSkus(db.pool, s.marketplace);
  }
  const at = deps.clock.now();
  input.onProgress?.({ stage: 'reading' });
  const t0 = performance.now();
  const skus = input.asins ? await skusOnAsins(db.pool, s.marketplace, input.asins) : undefined;
  const rows =
    skus?.length === 0
      ? []
      : await loadInputs(db.pool, { marketplace: s.marketplace, currency: s.currency, now: at, skus });
  const t1 = performance.now();
  input.onProgress?.({ stage: 'deciding', listings: rows.length });
  const decisions: LoggedDecision[] = [];
  async function* decided() {
    for (let i = 0; i < rows.length; i += BATCH) {
      const batch = rows.slice(i, i + BATCH).map((r) => planListing(r, s));
      for (const d of batch) decisions.push(d);
      yield batch;
    }
  }
  let priced: PricedDecision[] = [];
  let changed: LoggedDecision[] = [];
  let tripped = false;
  let updates: PriceUpdate[] = [];
  const finish = () => {
    priced = decisions.flatMap((d) => (d.priced ? [d.priced] : []));
    tripped = breakerTripped(priced, Number(s.breakerPct));
    changed = decisions.filter((d) => d.changed);
    // users filter the log by this guard to see what the run refused to apply (writeRun stores it)
    if (tripped) for (const d of changed) d.guards.push('breaker');
    const acting = !tripped && mode !== 'dry_run';
    updates = acting
      ? changed
          .filter((d) => !inFeed.has(d.sku))
          .map((d) => priceUpdate(d, { runId, mode: mode as 'apply' | 'live', marketplace: s.marketplace }))
      : [];
    return { updates, tripped };
  };
  const t2 = performance.now();
  // decisions and price updates land together: a failure leaves neither
  const ids = await withTransaction(db, (c) =>
    writeRun(c, { runId, marketplace: s.marketplace, mode, at }, decided(), finish),
  );
  const t3 = performance.now();

  const counts: Record<string, number> = {
    listings: rows.length,
    priced: priced.length,
    skipped: decisions.filter((d) => d.skipped && !d.error).length,
    errors: decisions.filter((d) => d.error).length,
    changed: changed.length,
    unchanged: priced.length - changed.length,
    big_drops: priced.filter(isBigDrop).length,
    price_updates: updates.length,
    tripped: tripped ? 1 : 0,
    ...(liveFeeds
      ? {
          awaiting_feed: tripped ? 0 : changed.filter((d) => inFeed.has(d.sku)).length,
          ...Object.fromEntries(Object.entries(earlier!.counts).map(([k, v]) => [`earlier_${k}`, v])),
        }
      : {}),
    read_ms: Math.round(t1 - t0),
    // deciding and writing the log overlap
    decide_write_ms: Math.round(t3 - t2),
  };
  let problems: SubmitProblem[] = [];
  let stopped: string | undefined;
  let feedId: string | undefined;
  if (mode === 'live' && updates.length > 0) {
    const submitter = deps.submitter?.();
    if (!submitter) throw new AppError('config', 'repricer live mode: no SP-API submitter configured');
    input.onProgress?.({ stage: 'submitting', submissions: updates.length });
    const items = updates.map((u, i) => ({
      id: ids[i]!,
      sku: u.sku,
      price: u.new_price,
      currency: u.currency,
    }));
    const out =
      submitter.feeds && items.length > FEED_THRESHOLD
        ? await submitFeed(feedDeps, submitter.feeds, s.marketplace, items)
        : await submitAll({ db, clock: deps.clock, log }, submitter, items, (done) =>
            input.onProgress?.({ stage: 'submitting', submitted: done }),
          );
    Object.assign(counts, out.counts);
    if ('feedId' in out) feedId = out.feedId as string | undefined;
    problems = out.problems;
    stopped = out.stopped;
  }

  const result = {
    mode,
    tripped,
    changes: changed.slice(0, LISTED_MAX).map((d) => ({
      sku: d.sku,
      old: d.old_price,
      new: d.final_price,
      guards: d.guards,
    })),
    errors: decisions
      .filter((d) => d.error)
      .slice(0, LISTED_MAX)
      .map((d) => ({ sku: d.sku, reason: d.reason })),
    ...(mode === 'live'
      ? {
          submission_problems: [...(earlier?.problems ?? []), ...problems].slice(0, LISTED_MAX),
          ...(feedId ? { feed_id: feedId } : {}),
          ...(stopped ? { stopped } : {}),
        }
      : {}),
  };
  log.info({ mode, counts, trigger: input.trigger, asins: input.asins?.length }, 'repricer: run done');
  if (tripped) {
    return {
      status: 'tripped',
      reason:
        `circuit breaker: ${counts.big_drops} of ${priced.length} priced listings would drop by more than 20 % ` +
        `(limit ${config.REPRICER_BREAKER_PCT} %); no price was applied or submitted`,
      counts,
      result,
    };
  }
  // every submission failed (a pending feed did reach Amazon)
  if (mode === 'live' && counts.submitted! > 0 && counts.failed === counts.submitted) {
    throw new AppError('upstream', `repricer: no submission reached Amazon (${stopped ?? 'all failed'})`, {
      counts,
      ...result,
    });
  }
  return { status: 'success', counts, result };
}
