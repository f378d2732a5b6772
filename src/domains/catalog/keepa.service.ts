import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import { AppError, isAppError, messageOf } from '../../platform/errors.ts';
import type { Sleep } from '../../platform/http/retry.ts';
import type { Logger } from '../../platform/logger.ts';
import type { ObjectStore } from '../../platform/storage/store.ts';
import { type BatchResult, saveBatch } from './keepa.batch.ts';
import { TokenBudget } from './keepa.budget.ts';
import type { KeepaApi, ProductsAnswer } from './keepa.client.ts';
import { type ExportRow, exportKey, writeExport } from './keepa.export.ts';
import { parseProduct } from './keepa.parse.ts';
import * as repo from './keepa.repo.ts';

/** History kept from a first fetch: the 90 days the ROI chart and price-stability score look at. */
export const HISTORY_DAYS = 90;
/**
 * A run stops starting requests after this long and leaves the rest, still stalest, to the next
 * run: below the hourly default schedule, so runs do not pile up behind a slow token refill.
 */
export const DEFAULT_MAX_RUN_MS = 45 * 60_000;
/** Requests that failed after the HTTP client's own retries, in a row, before the run gives up. */
export const MAX_FAILED_REQUESTS = 2;
/**
 * Batches being stored while the next is fetched. Two keep the database busy while Keepa answers
 * (10,000 ASINs on 2 cores: 15.5 s with one, 11.3 s with two); batches hold distinct ASINs, and the
 * only rows they share (barcodes) are written in key order, so they cannot deadlock.
 */
export const WRITES_IN_FLIGHT = 2;
/** 429 answers in a row before the request counts as failed (each one is waited out first). */
export const MAX_NO_TOKEN_ANSWERS = 3;

export interface KeepaDeps {
  db: Db;
  store: ObjectStore;
  clock: Clock;
  log: Logger;
  sleep: Sleep;
  /** Undefined without KEEPA_KEY: the run is skipped and nothing is called. */
  api?: KeepaApi;
  marketplace: string;
  currency: string;
  minorDigits: number;
  staleHours: number;
  maxRunMs?: number;
  /** Called once after a run that changed ROI inputs (products, barcodes, buy box). */
  afterChange(): Promise<void>;
}

export interface KeepaInput {
  runId: string;
  dryRun: boolean;
  /** Only these ASINs, whatever their age (`awa agent run keepa --asins`). */
  asins?: string[];
  progress?(update: Record<string, number | string>): void;
}

export interface KeepaSummary {
  status: 'success' | 'skipped';
  reason?: string;
  counts: Record<string, number>;
  exportKey?: string;
}

function newCounts() {
  return {
    candidates: 0,
    requested: 0,
    updated: 0,
    failed: 0,
    unknown: 0,
    invalid: 0,
    skipped: 0,
    tokens_used: 0,
    batches: 0,
    waited_ms: 0,
    products_changed: 0,
    identifiers_changed: 0,
    buybox_points: 0,
    metric_points: 0,
  };
}

/**
 * One Keepa run (SPEC §5): the stale ASINs, stalest first, in batches the token budget allows,
 * each batch stored in its own transaction while the next one is fetched. Partial failures (ASINs
 * Keepa does not know, malformed products, a failed request) are counted, not fatal; a rejected key
 * is. Writes a CSV export of the run and refreshes ROI when its inputs changed.
 */
export async function runKeepa(deps: KeepaDeps, input: KeepaInput): Promise<KeepaSummary> {
  const { api, db, clock, log } = deps;
  if (!api) {
    log.info('keepa not configured (set KEEPA_KEY); nothing fetched');
    return { status: 'skipped', reason: 'not_configured', counts: {} };
  }
  const started = clock.now();
  const deadline = started.getTime() + (deps.maxRunMs ?? DEFAULT_MAX_RUN_MS);
  const windowStartMs = started.getTime() - HISTORY_DAYS * 86_400_000;
  const asins = input.asins
    ? await repo.orderByStaleness(db.pool, deps.marketplace, input.asins)
    : await repo.staleAsins(
        db.pool,
        deps.marketplace,
        new Date(started.getTime() - deps.staleHours * 3_600_000),
      );
  const c = newCounts();
  c.candidates = asins.length;
  if (asins.length === 0) return { status: 'success', reason: 'nothing stale', counts: c };

  const budget = new TokenBudget();
  const rows: ExportRow[] = [];
  const target = { db, marketplace: deps.marketplace, currency: deps.currency, dryRun: input.dryRun };
  const now = () => clock.now().getTime();
  const writes: Promise<void>[] = [];
  let stop: string | undefined;
  let lastError: string | undefined;
  let failure: unknown;

  /** Sleeps until the refill if that ends before the deadline, then asks Keepa for the balance. */
  const waitForRefill = async (ms: number, why: string): Promise<boolean> => {
    if (now() + ms > deadline) return false;
    log.info({ wait_ms: ms, tokens_left: budget.tokensLeft, why }, 'waiting for Keepa tokens');
    await deps.sleep(ms);
    c.waited_ms += ms;
    budget.observe(await api.tokenStatus());
    return true;
  };

  const record = (r: BatchResult) => {
    c.updated += r.updated;
    c.unknown += r.unknown;
    c.invalid += r.invalid;
    c.failed += r.unknown + r.invalid;
    c.products_changed += r.productsChanged;
    c.identifiers_changed += r.identifiersChanged;
    c.buybox_points += r.buyboxPoints;
    c.metric_points += r.metricPoints;
    rows.push(...r.rows);
    input.progress?.({ stage: 'fetching', requested: c.requested, updated: c.updated, failed: c.failed });
  };

  try {
    budget.observe(await api.tokenStatus());
    let next = 0;
    let failedInARow = 0;
    let noTokenAnswers = 0;
    while (next < asins.length) {
      const plan = budget.plan(asins.length - next);
      if (plan.kind === 'exhausted') {
        stop = 'Keepa reports no token refill for KEEPA_KEY';
        break;
      }
      if (plan.kind === 'wait') {
        if (await waitForRefill(plan.ms, `${plan.need} more tokens for the next batch`)) continue;
        stop = 'token budget: the refill comes after this run’s time limit';
        break;
      }
      if (now() >= deadline) {
        stop = 'time limit reached';
        break;
      }
      const batch = asins.slice(next, next + plan.size);
      let answer: ProductsAnswer;
      try {
        answer = await api.products(batch);
        if (answer.kind === 'no_tokens' && ++noTokenAnswers >= MAX_NO_TOKEN_ANSWERS) {
          throw new Error(`Keepa answered 429 (not enough tokens) ${noTokenAnswers} times in a row`);
        }
      } catch (err) {
        // a rejected key or an expired plan: no later batch can do better
        if (isAppError(err)) throw err;
        // the request as a whole failed: its ASINs get no fetch time and lead the next run
        lastError = messageOf(err);
        noTokenAnswers = 0;
        next += batch.length;
        c.requested += batch.length;
        c.batches++;
        c.failed += batch.length;
        rows.push(...batch.map((asin): ExportRow => ({ asin, status: 'failed', error: lastError })));
        log.warn({ err: lastError, asins: batch.length }, 'keepa request failed');
        if (++failedInARow >= MAX_FAILED_REQUESTS) {
          stop = `${failedInARow} Keepa requests failed in a row: ${lastError}`;
          break;
        }
        continue;
      }
      if (answer.kind === 'no_tokens') {
        // someone else spent the key's tokens since our last look (429 is not charged): take Keepa's
        // balance and Retry-After, ask again after the wait, and let the budget size the next batch
        if (answer.tokens) budget.observe(answer.tokens);
        const ms = answer.retryAfterMs ?? (answer.tokens ? 0 : 60_000);
        if (await waitForRefill(ms, '429 not enough tokens')) continue;
        stop = 'token budget: the refill comes after this run’s time limit';
        break;
      }
      noTokenAnswers = 0;
      failedInARow = 0;
      next += batch.length;
      c.requested += batch.length;
      c.batches++;
      c.tokens_used += answer.tokens.tokensConsumed;
      budget.observe(answer.tokens);
      budget.charged(batch.length, answer.tokens.tokensConsumed);
      const outcomes = answer.products.map((p) =>
        parseProduct(p, { windowStartMs, minorDigits: deps.minorDigits }),
      );
      const fetchedAt = clock.now();
      // store this batch while the next ones are fetched; a failed write stops the run at the next turn
      if (writes.length >= WRITES_IN_FLIGHT) await writes.shift();
      const write = saveBatch(target, batch, outcomes, fetchedAt).then(record);
      write.catch(() => {});
      writes.push(write);
    }
    c.skipped = asins.length - next;
  } catch (err) {
    failure = err;
  }
  for (const w of await Promise.allSettled(writes)) if (w.status === 'rejected') failure ??= w.reason;

  let key: string | undefined;
  if (!input.dryRun && rows.length > 0) {
    key = exportKey(input.runId, started);
    try {
      await writeExport(deps.store, key, rows);
    } catch (err) {
      // the rows are stored; a missing export must not make the retry fetch them again
      log.error({ err: messageOf(err), key }, 'keepa export could not be written');
      key = undefined;
    }
  }
  const changed = c.products_changed + c.identifiers_changed + c.buybox_points > 0;
  if (!input.dryRun && changed) await deps.afterChange();
  if (failure) throw failure;
  if (c.requested > 0 && c.updated + c.unknown + c.invalid === 0 && lastError) {
    throw new AppError('upstream', `every Keepa request failed: ${lastError}`, c);
  }
  return {
    status: 'success',
    reason: stop ? `stopped early (${stop}); ${c.skipped} ASINs left for the next run` : undefined,
    counts: { ...c, export_written: key ? 1 : 0, roi_refreshed: !input.dryRun && changed ? 1 : 0 },
    exportKey: key,
  };
}
