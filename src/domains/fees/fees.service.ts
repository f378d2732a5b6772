import type { Served } from '../../platform/amazon/marketplaces.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { Queryable } from '../../platform/db/queryable.ts';
import { AppError, isAppError, messageOf } from '../../platform/errors.ts';
import { isHttpClientError } from '../../platform/http/client.ts';
import type { Logger } from '../../platform/logger.ts';
import { evaluateAfter } from '../decisions/engine.service.ts';
import { roiSettingsFrom, updateRoi } from '../roi/roi.service.ts';
import type { FeeRequestItem, FeeSource } from './estimate.ts';
import { callAll } from './fees.calls.ts';
import { planRequests } from './fees.plan.ts';
import { changedKeys, type FeeRow, type FeeWrite, loadCandidates, writeFees } from './fees.repo.ts';

export type { FeeRow, FeeWrite } from './fees.repo.ts';

export interface FeesDeps {
  db: Db;
  config: Config;
  /** Business time: the run's day keys the history points. */
  clock: Clock;
  log: Logger;
  /** Undefined when neither SP-API nor Helium10 is configured. */
  source?: { source: FeeSource; marketplaces: Served[] };
}

export interface FeesInput {
  dryRun: boolean;
  /** Only these ASINs, refreshed even if already confirmed today. */
  asins?: string[];
  onProgress?: (p: Record<string, number | string>) => void;
}

export interface FeesCounts {
  requested: number;
  updated: number;
  unchanged: number;
  failed: number;
  skipped: number;
  calls: number;
  roi_refreshed: number;
}

export interface FeesRun {
  status: 'success' | 'skipped';
  reason?: string;
  counts: FeesCounts;
  result: Record<string, unknown>;
}

interface ItemError {
  marketplace: string;
  asin: string;
  code: string;
  message: string;
}

// Results are written in small chunks (one SP-API call's worth): a killed run keeps nearly all it
// spent rate-limited calls on, and its retry skips those (see fees.plan.ts `fresh`).
const FLUSH_ROWS = 20;
const LISTED_MAX = 100;

const dayStart = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

/**
 * The one way fees reach the `fees` table and its history, whoever observed them (the fee agent, the
 * fee preview report, the demo): see fees.repo.ts `writeFees` for the rules (an older observation
 * never overwrites a newer one; a known storage fee is kept; one history point per day). `q` is the
 * pool or the caller's transaction client (the report ingest writes inside its transaction).
 * `day` defaults to the UTC day of `at`.
 */
export function recordFees(q: Queryable, rows: FeeRow[], opts: Omit<FeeWrite, 'day'> & { day?: Date }) {
  return writeFees(q, rows, { ...opts, day: opts.day ?? dayStart(opts.at) });
}
const ZERO: FeesCounts = {
  requested: 0,
  updated: 0,
  unchanged: 0,
  failed: 0,
  skipped: 0,
  calls: 0,
  roi_refreshed: 0,
};

function asAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  if (isHttpClientError(err)) return err.toAppError();
  return new AppError('internal', messageOf(err));
}

/**
 * Refreshes the fees of everything the seller lists or sources (SPEC §5 fees): estimates at the
 * current price from the configured source, writes changed fees and a history point per day, then
 * refreshes ROI when anything changed. Per-item errors and failed calls are counted, not fatal;
 * refused credentials or a run of failed calls fail the run (what was written before stays).
 */
export async function refreshFees(deps: FeesDeps, input: FeesInput): Promise<FeesRun> {
  const { db, log } = deps;
  if (!deps.source) {
    log.info('fees: not configured (no SP_API_* credentials or HELIUM10_KEY); skipping');
    return { status: 'skipped', reason: 'not_configured', counts: { ...ZERO }, result: { source: null } };
  }
  const { source, marketplaces } = deps.source;
  const at = deps.clock.now();
  const today = dayStart(at);
  const candidates = await loadCandidates(db.pool, marketplaces, input.asins);
  const { items, skipped } = planRequests(candidates, {
    marketplaces,
    source: source.name,
    today,
    asins: input.asins,
    defaultMarketplace: deps.config.AWA_MARKETPLACE,
    listMax: LISTED_MAX,
  });
  const counts: FeesCounts = { ...ZERO, skipped: skipped.count };
  const errors: ItemError[] = [];
  const changes: FeeRow[] = [];
  let pending: FeeRow[] = [];
  let done = 0;
  const progress = () =>
    input.onProgress?.({ stage: 'estimating', items: items.length, done, failed: counts.failed });

  async function flush() {
    const rows = pending;
    pending = [];
    if (rows.length === 0) return;
    if (input.dryRun) {
      const keys = await changedKeys(db.pool, rows, { source: source.name, at });
      counts.updated += keys.size;
      counts.unchanged += rows.length - keys.size;
      for (const r of rows) {
        if (changes.length < LISTED_MAX && keys.has(`${r.marketplace}:${r.asin}`)) changes.push(r);
      }
    } else {
      const w = await recordFees(db.pool, rows, { source: source.name, at, day: today });
      counts.updated += w.changed;
      counts.unchanged += rows.length - w.changed;
    }
  }
  const fail = (item: FeeRequestItem, code: string, message: string) => {
    counts.failed++;
    if (errors.length < LISTED_MAX)
      errors.push({ marketplace: item.marketplace, asin: item.asin, code, message });
  };

  const batches: FeeRequestItem[][] = [];
  for (let i = 0; i < items.length; i += source.batchSize) batches.push(items.slice(i, i + source.batchSize));
  const before = source.stats();
  progress();
  let fatal = await callAll(source, batches, {
    async onAnswer(batch, outcomes) {
      counts.requested += batch.length;
      outcomes.forEach((o, i) => {
        const item = batch[i]!;
        if (o.ok)
          pending.push({
            marketplace: item.marketplace,
            asin: item.asin,
            price_basis: item.price,
            ...o.fees,
          });
        else fail(item, o.code, o.message);
      });
      done += batch.length;
      progress();
      if (pending.length >= FLUSH_ROWS) await flush();
    },
    onCallFailed(batch, code, message) {
      counts.requested += batch.length;
      for (const item of batch) fail(item, code, message);
      done += batch.length;
      progress();
    },
  });
  try {
    await flush();
  } catch (err) {
    fatal ??= err;
  }

  // the source outlives the run (one per process): report this run's share of its counters
  const after = source.stats();
  const stats = {
    calls: after.calls - before.calls,
    ...(after.token_exchanges === undefined
      ? {}
      : { token_exchanges: after.token_exchanges - (before.token_exchanges ?? 0) }),
  };
  counts.calls = stats.calls;
  if (!input.dryRun && counts.updated > 0) {
    try {
      await updateRoi(db, { settings: roiSettingsFrom(deps.config), reason: 'fees', clock: deps.clock });
      counts.roi_refreshed = 1;
      await evaluateAfter({ db, clock: deps.clock, log: deps.log }, 'market');
    } catch (err) {
      // a failing run reports its own error; the scheduled roi_refresh catches up
      if (fatal === undefined) throw err;
      log.warn({ err: messageOf(err) }, 'fees: ROI refresh after a failed run failed too');
    }
  }
  const result = {
    source: source.name,
    dry_run: input.dryRun,
    marketplaces: [...new Set(candidates.map((c) => c.marketplace))],
    ...stats,
    skipped_by_reason: skipped.by_reason,
    skipped_items: skipped.items,
    errors,
    ...(input.dryRun ? { changes } : {}),
  };
  log.info({ counts, skipped_by_reason: skipped.by_reason }, 'fees: run done');
  if (fatal !== undefined) {
    const err = asAppError(fatal);
    throw new AppError(err.kind, err.message, { ...(err.details as object), counts, ...result });
  }
  return { status: 'success', counts, result };
}
