import type pg from 'pg';
import { copyFields, copyRows } from '../../platform/db/copy.ts';
import type { Queryable } from '../../platform/db/queryable.ts';
import type { LoggedDecision, Mode } from './plan.ts';

const LOG_COLUMNS = [
  'run_id',
  'marketplace',
  'sku',
  'asin',
  'currency',
  'old_price',
  'proposed',
  'final_price',
  'floor',
  'ceiling',
  'buybox',
  'strategy',
  'guards',
  'changed',
  'skipped',
  'error',
  'mode',
  'reason',
  'created_at',
] as const;

/** A price to record in price_updates_log. */
export interface PriceUpdate {
  marketplace: string;
  sku: string;
  asin: string | null;
  currency: string;
  old_price: string | null;
  new_price: string;
  strategy: string | null;
  actor: string;
  context: Record<string, unknown>;
  run_id: string | null;
  mode: 'apply' | 'live' | 'manual';
  submission_status: 'not_submitted' | 'pending';
}

async function insertUpdates(c: Queryable, rows: PriceUpdate[], at: Date): Promise<number[]> {
  if (rows.length === 0) return [];
  const col = <K extends keyof PriceUpdate>(k: K) => rows.map((r) => r[k]);
  const { rows: ids } = await c.query<{ id: string }>(
    `INSERT INTO price_updates_log (marketplace, sku, asin, currency, old_price, new_price, strategy, actor,
       context, run_id, mode, submission_status, created_at, updated_at)
     SELECT u.marketplace, u.sku, u.asin, u.currency, u.old_price, u.new_price, u.strategy, u.actor, u.context,
            u.run_id, u.mode, u.submission_status, $13, $13
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::numeric[], $6::numeric[], $7::text[],
       $8::text[], $9::jsonb[], $10::uuid[], $11::text[], $12::text[])
       WITH ORDINALITY AS u(marketplace, sku, asin, currency, old_price, new_price, strategy, actor, context,
         run_id, mode, submission_status, n)
     ORDER BY u.n
     RETURNING id`,
    [
      col('marketplace'),
      col('sku'),
      col('asin'),
      col('currency'),
      col('old_price'),
      col('new_price'),
      col('strategy'),
      col('actor'),
      rows.map((r) => JSON.stringify(r.context)),
      col('run_id'),
      col('mode'),
      col('submission_status'),
      at,
    ],
  );
  // ids are drawn in insertion order (ORDER BY u.n), so ascending ids follow `rows`
  return ids.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/**
 * Writes a run's decisions (COPY into repricer_log, hence the transaction's client) and its price
 * updates; the caller's transaction makes a failure leave neither. Decisions stream in as they are made (the server stores one batch while
 * the next is decided); `finish` runs once all are in and says what else to write: the price updates
 * and whether the breaker tripped (then every changed decision of the run gets the `breaker` guard).
 * Returns the price_updates_log ids in the order of the updates.
 */
export async function writeRun(
  client: pg.PoolClient,
  run: { runId: string; marketplace: string; mode: Mode; at: Date },
  decisions: AsyncIterable<readonly LoggedDecision[]>,
  finish: () => { updates: PriceUpdate[]; tripped: boolean },
): Promise<number[]> {
  await copyDecisions(client, run, decisions);
  const { updates, tripped } = finish();
  if (tripped) {
    await client.query(
      "UPDATE repricer_log SET guards = array_append(guards, 'breaker') WHERE run_id = $1 AND changed",
      [run.runId],
    );
  }
  return insertUpdates(client, updates, run.at);
}

function copyDecisions(
  client: pg.PoolClient,
  run: { runId: string; marketplace: string; mode: Mode; at: Date },
  decisions: AsyncIterable<readonly LoggedDecision[]>,
): Promise<number> {
  const at = run.at.toISOString();
  return copyRows(client, 'repricer_log', LOG_COLUMNS, decisions, (d) =>
    copyFields([
      run.runId,
      run.marketplace,
      d.sku,
      d.asin,
      d.currency,
      d.old_price,
      d.proposed,
      d.final_price,
      d.floor,
      d.ceiling,
      d.buybox,
      d.strategy,
      `{${d.guards.join(',')}}`,
      d.changed ? 't' : 'f',
      d.skipped ? 't' : 'f',
      d.error ? 't' : 'f',
      run.mode,
      d.reason,
      at,
    ]),
  );
}

/**
 * POST /pricing/apply: its decisions go to repricer_log as a run of their own (a dry run too: the log
 * is the record of what was decided, not business data) and its prices to price_updates_log, all or
 * none (in the caller's transaction). Returns the price_updates_log ids in the order of the updates.
 */
export async function writeManual(
  client: pg.PoolClient,
  run: { runId: string; marketplace: string; mode: Mode; at: Date },
  decisions: readonly LoggedDecision[],
  updates: PriceUpdate[],
): Promise<number[]> {
  if (decisions.length > 0) await copyDecisions(client, run, oneBatch(decisions));
  return insertUpdates(client, updates, run.at);
}

async function* oneBatch<T>(rows: readonly T[]): AsyncGenerator<readonly T[]> {
  yield rows;
}

export interface SubmissionResult {
  status: 'accepted' | 'rejected' | 'failed';
  submission_id?: string | null;
  issues?: unknown;
}

export async function recordSubmission(
  q: Queryable,
  id: number,
  r: SubmissionResult,
  at: Date,
): Promise<void> {
  await q.query(
    `UPDATE price_updates_log SET submission_status = $2, submission_id = $3, issues = $4::jsonb,
       submitted_at = $5, updated_at = $5 WHERE id = $1`,
    [id, r.status, r.submission_id ?? null, r.issues === undefined ? null : JSON.stringify(r.issues), at],
  );
}

/** The same failure on many rows (submissions not attempted after the run stopped submitting). */
export async function recordFailures(q: Queryable, ids: number[], issues: unknown, at: Date): Promise<void> {
  if (ids.length === 0) return;
  await q.query(
    `UPDATE price_updates_log SET submission_status = 'failed', issues = $2::jsonb, updated_at = $3
     WHERE id = ANY($1::bigint[])`,
    [ids, JSON.stringify(issues), at],
  );
}
