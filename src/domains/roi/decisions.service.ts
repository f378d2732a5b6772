import type { Db } from '../../platform/db/pool.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import { AppError } from '../../platform/errors.ts';
import * as bulk from './roi.bulk.repo.ts';
import * as repo from './roi.repo.ts';
import { type Decision, type RoiFilterParams, toFilter } from './roi.service.ts';

/** Buying decisions from the ROI review: on listed ASINs, or on everything a filter matches. */

function invalid(field: string, message: string): AppError {
  return new AppError('invalid', `invalid request: ${field} ${message}`, [{ field, message }]);
}

export interface ApproveInput {
  asins?: string[];
  filter?: RoiFilterParams;
  expected_count?: number;
  status?: Decision;
  dry_run?: boolean;
}

export type ApproveResult = { dry_run: true; would_update: number } | { dry_run: false; updated: number };

/**
 * Records a buying decision, all or none, on the listed ASINs (any unknown one → 404) or on every
 * product a /roi filter matches (when that is no longer `expected_count` products → 409: the user
 * confirmed another number). A dry run checks the same and writes nothing.
 */
export async function approve(
  db: Db,
  input: ApproveInput,
  ctx: { by: string; now: Date },
): Promise<ApproveResult> {
  const status = input.status ?? 'approved';
  const dryRun = input.dry_run ?? false;
  if ((input.asins === undefined) === (input.filter === undefined)) {
    throw invalid('body', 'needs either asins (a list of ASINs) or filter (GET /roi parameters), not both');
  }
  let n: number;
  if (input.asins) {
    if (input.expected_count !== undefined) {
      throw invalid('expected_count', 'goes with filter; with asins every listed ASIN is changed or none');
    }
    const unique = [...new Set(input.asins)];
    // the rows are locked, checked and updated in one transaction: all of them change or none
    const out = await withTransaction(db, (c) =>
      repo.setStatus(c, unique, status, ctx.by, { dryRun, at: ctx.now }),
    );
    if (out.unknown.length > 0) {
      throw new AppError(
        'not_found',
        `unknown ASIN${out.unknown.length > 1 ? 's' : ''}: ${out.unknown.slice(0, 20).join(', ')}` +
          `${out.unknown.length > 20 ? ', …' : ''}; nothing was changed`,
        { unknown: out.unknown },
      );
    }
    n = out.updated;
  } else {
    if (input.expected_count === undefined) {
      throw invalid('expected_count', 'is required with filter: the number of products the user confirmed');
    }
    const filter = toFilter(input.filter!);
    const out = await bulk.setStatusWhere(
      db.pool,
      filter,
      { status, by: ctx.by, at: ctx.now, dryRun },
      input.expected_count,
    );
    if (out.matched !== input.expected_count) {
      throw new AppError(
        'conflict',
        `the filter now matches ${out.matched} products, not ${input.expected_count}; nothing was changed`,
        { matched: out.matched, expected_count: input.expected_count },
      );
    }
    n = out.matched;
  }
  if (dryRun) return { dry_run: true, would_update: n };
  // after the commit: a count made before it must not be cached under the new version
  await repo.bumpDecisionsVersion(db.pool);
  return { dry_run: false, updated: n };
}
