import { randomUUID } from 'node:crypto';
import { withTransaction } from '../../platform/db/transaction.ts';
import { AppError } from '../../platform/errors.ts';
import { silentLogger } from '../../platform/logger.ts';
import { formatMinor, minorDigits, toMinor, toRatio } from '../../platform/money.ts';
import { boundsOf, clampToBounds } from './bounds.ts';
import { priceAtRoiMinor } from './economics.ts';
import type { InputRow } from './inputs.repo.ts';
import { missingLiveConfig } from './listings.client.ts';
import * as logRepo from './log.repo.ts';
import {
  type LoggedDecision,
  type Mode,
  planListing,
  type RepricerSettings,
  refused,
  settingsFrom,
} from './plan.ts';
import { type ItemError, type PricingDeps, rowsFor, unknown } from './pricing.service.ts';
import { submitAll } from './submit.ts';

type SubmissionStatus = 'accepted' | 'rejected' | 'failed' | 'not_submitted';

interface ApplyItem {
  sku: string;
  price?: number | string;
}

interface Applied {
  sku: string;
  /** The price asked for (a user's) or the strategy's target (the repricer's), before the guards. */
  proposed: string | null;
  old: string | null;
  new: string | null;
  changed: boolean;
  guards: string[];
  reason: string;
  floor: string | null;
  ceiling: string | null;
}

/** A user's price, kept within [floor, ceiling]; the floor (cost, MAP) wins over the ceiling. */
function manual(row: InputRow, s: RepricerSettings, price: number | string): Applied | string {
  const digits = minorDigits(s.currency);
  const fmt = (u: bigint) => formatMinor(u, digits);
  const asked = toRatio(price)!;
  const d = planListing(row, s);
  if (d.error) return d.reason;
  const roi = priceAtRoiMinor(row, s, s.minRoi);
  if (roi === 'no_landed_cost')
    return 'no landed cost for this listing: its floor is unknown, so no price is set';
  if (roi === 'no_revenue')
    return 'the referral fee leaves no revenue at any price: no ROI floor, so no price is set';
  const minor = (v: string | null) => (v ? toMinor(toRatio(v)!, digits) : undefined);
  const bounds = boundsOf(roi, minor(row.min_price), minor(row.map_price), minor(row.max_price));
  const { floor, ceiling } = bounds;
  const wanted = toMinor(asked, digits);
  const { target, guards, notes } = clampToBounds(wanted, bounds, fmt);
  notes.unshift(`manual price ${fmt(wanted)}`);
  const oldU = toRatio(row.current_price);
  const old = oldU ? fmt(toMinor(oldU, digits)) : null;
  const changed = old !== fmt(target);
  return {
    sku: row.sku,
    proposed: fmt(wanted),
    old,
    new: fmt(target),
    changed,
    guards,
    reason: `${notes.join('; ')}: ${changed ? `${old ?? 'none'} → ${fmt(target)}` : `unchanged at ${old}`}`,
    floor: fmt(floor),
    ceiling: ceiling === undefined ? null : fmt(ceiling),
  };
}

function fromDecision(d: LoggedDecision): Applied {
  return {
    sku: d.sku,
    proposed: d.proposed,
    old: d.old_price,
    new: d.final_price,
    changed: d.changed,
    guards: d.guards,
    reason: d.reason,
    floor: d.floor,
    ceiling: d.ceiling,
  };
}

/**
 * POST /pricing/apply: per item a user's price (clamped to [floor, ceiling]) or, without one, the
 * repricer's decision. Not a dry run → every changed price goes to price_updates_log (actor = the
 * token's name) in one transaction. Unknown SKUs and unpriceable items are per-item errors.
 * REPRICER_MODE=live (not a dry run): the changed prices are then submitted one by one with
 * patchListingsItem at REPRICER_SUBMIT_PER_SECOND, and each item says its `submission_status`.
 */
export const LIVE_APPLY_MAX = 100;

export type ApplyMode = Mode;

/**
 * What a request asks for: `mode` says it outright (dry_run, apply = our price book only, live =
 * also sent to Amazon, which needs REPRICER_MODE=live); without it, the seed's contract: `dry_run`,
 * else apply — live when REPRICER_MODE is live.
 */
export function modeOfRequest(input: { mode?: Mode; dry_run?: boolean }, configured: Mode): Mode {
  const { mode, dry_run } = input;
  if (mode === undefined) return dry_run ? 'dry_run' : configured === 'live' ? 'live' : 'apply';
  if (dry_run !== undefined && dry_run !== (mode === 'dry_run')) {
    throw new AppError('invalid', `mode ${mode} contradicts dry_run ${dry_run}; send one of them`, {
      mode,
      dry_run,
    });
  }
  if (mode === 'live' && configured !== 'live') {
    throw new AppError(
      'invalid',
      `mode live sends prices to Amazon, which needs REPRICER_MODE=live (it is ${configured}); use apply to set them in the price book`,
      { mode, configured },
    );
  }
  return mode;
}

function logged(row: InputRow, it: Applied, s: RepricerSettings, manual: boolean): LoggedDecision {
  return {
    sku: it.sku,
    asin: row.asin,
    currency: s.currency,
    old_price: it.old,
    proposed: it.proposed,
    final_price: it.new,
    floor: it.floor,
    ceiling: it.ceiling,
    buybox: row.buybox,
    strategy: manual ? 'manual' : (row.strategy ?? 'beat_buybox'),
    guards: it.guards,
    changed: it.changed,
    skipped: false,
    error: false,
    reason: it.reason,
  };
}

/**
 * POST /pricing/apply: per item a user's price (clamped to [floor, ceiling]) or, without one, the
 * repricer's decision. Every decision goes to repricer_log under a new run id (returned), whatever
 * the mode; apply and live also write every changed price to price_updates_log (actor = the
 * caller) in the same transaction. Unknown SKUs and unpriceable items are per-item errors. Live: the
 * changed prices are then submitted one by one with patchListingsItem at REPRICER_SUBMIT_PER_SECOND,
 * and each item says its `submission_status`.
 */
export async function apply(
  deps: PricingDeps,
  input: { items: ApplyItem[]; dry_run?: boolean; mode?: Mode; actor: string },
) {
  const s = settingsFrom(deps.config);
  const mode = modeOfRequest(input, deps.config.REPRICER_MODE);
  const dryRun = mode === 'dry_run';
  const live = mode === 'live';
  // each price is one SP-API call at REPRICER_SUBMIT_PER_SECOND inside this request: 100 at 5/s is
  // 20 s; bulk changes belong to the repricer run (which uses a feed above 500)
  if (live && input.items.length > LIVE_APPLY_MAX) {
    throw new AppError(
      'invalid',
      `REPRICER_MODE is live: at most ${LIVE_APPLY_MAX} items per request are sent to Amazon one by one (got ${input.items.length}); split the request or let the repricer run apply them`,
      { max: LIVE_APPLY_MAX, items: input.items.length },
    );
  }
  if (live) {
    const missing = missingLiveConfig(deps.config);
    // refuse before writing: a price recorded as set but never sent would be worse than none
    if (missing.length > 0 || !deps.submitter) {
      // 503, not a hidden 500: the operator must see which variables live submission still needs
      throw new AppError(
        'unavailable',
        `REPRICER_MODE is live but ${missing.length > 0 ? `${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set` : 'no SP-API submitter is configured'}; nothing was applied`,
        { missing },
      );
    }
  }
  const skus = input.items.map((i) => i.sku);
  const dup = skus.find((sku, i) => skus.indexOf(sku) !== i);
  if (dup !== undefined) throw new AppError('invalid', `items: sku ${dup} is listed twice`, { sku: dup });
  for (const it of input.items) {
    if (it.price === undefined) continue;
    const r = toRatio(it.price);
    if (!r || r.n <= 0n) {
      throw new AppError(
        'invalid',
        `items: price of sku ${it.sku} must be a positive number (${String(it.price)})`,
        {
          sku: it.sku,
          price: it.price,
        },
      );
    }
  }
  const bySku = await rowsFor(deps, s, skus);
  const rowsOf = new Map<string, InputRow>();
  const decisions: LoggedDecision[] = [];
  const items = input.items.map((it): (Applied & { status: 'ok' }) | ItemError => {
    const row = bySku.get(it.sku);
    if (!row) return unknown(it.sku, s.marketplace);
    rowsOf.set(it.sku, row);
    if (it.price === undefined) {
      const d = planListing(row, s);
      if (d.error) {
        decisions.push(refused(row, s, d.reason));
        return { status: 'error', sku: it.sku, error: d.reason };
      }
      const { priced: _p, ...plain } = d;
      decisions.push(plain);
      return { status: 'ok', ...fromDecision(d) };
    }
    const m = manual(row, s, it.price);
    if (typeof m === 'string') {
      decisions.push(refused(row, s, m));
      return { status: 'error', sku: it.sku, error: m };
    }
    decisions.push(logged(row, m, s, true));
    return { status: 'ok', ...m };
  });
  const changed = items.filter((i): i is Applied & { status: 'ok' } => i.status === 'ok' && i.changed);
  const manualSkus = new Set(input.items.filter((i) => i.price !== undefined).map((i) => i.sku));
  let statuses: Map<number, SubmissionStatus> | undefined;
  let idOf = new Map<string, number>();
  let submission: Record<string, number> | undefined;
  const runId = randomUUID();
  const updates = dryRun
    ? []
    : changed.map((i) => ({
        marketplace: s.marketplace,
        sku: i.sku,
        asin: rowsOf.get(i.sku)!.asin,
        currency: s.currency,
        old_price: i.old,
        new_price: i.new!,
        strategy: manualSkus.has(i.sku) ? 'manual' : (rowsOf.get(i.sku)!.strategy ?? 'beat_buybox'),
        actor: input.actor,
        context: {
          guards: i.guards,
          floor: i.floor,
          ceiling: i.ceiling,
          buybox: rowsOf.get(i.sku)!.buybox,
          reason: i.reason,
          repricer_run_id: runId,
        },
        run_id: null,
        mode: 'manual' as const,
        submission_status: live ? ('pending' as const) : ('not_submitted' as const),
      }));
  // decisions and prices land together or not at all
  const ids = await withTransaction(deps.db, (c) =>
    logRepo.writeManual(
      c,
      { runId, marketplace: s.marketplace, mode, at: deps.clock.now() },
      decisions,
      updates,
    ),
  );
  if (updates.length > 0) {
    idOf = new Map(changed.map((i, n) => [i.sku, ids[n]!]));
    if (live) {
      const out = await submitAll(
        { db: deps.db, clock: deps.clock, log: deps.log ?? silentLogger },
        deps.submitter!(),
        changed.map((i) => ({ id: idOf.get(i.sku)!, sku: i.sku, price: i.new!, currency: s.currency })),
      );
      statuses = out.statuses;
      submission = { ...out.counts };
    }
  }
  if (live) {
    for (const it of items) {
      if (it.status !== 'ok') continue;
      const id = idOf.get(it.sku);
      (it as Applied & { submission_status?: SubmissionStatus }).submission_status =
        id === undefined ? 'not_submitted' : (statuses?.get(id) ?? 'failed');
    }
  }
  return {
    dry_run: dryRun,
    mode,
    run_id: runId,
    changed: changed.length,
    written: updates.length,
    ...(live ? { submission: submission ?? { submitted: 0, accepted: 0, rejected: 0, failed: 0 } } : {}),
    items,
  };
}
