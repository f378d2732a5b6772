import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/pool.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import { AppError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import { type Scored, scoreOf } from './score.ts';
import { scoresCsv } from './scoring.export.ts';
import { readInputs } from './scoring.inputs.repo.ts';
import * as repo from './scoring.repo.ts';
import { COMPONENT_COLUMNS, type ScoreFilter, type ScoreSort } from './scoring.repo.ts';

export interface ScoringDeps {
  db: Db;
  config: Config;
  clock: Clock;
  log: Logger;
}

export interface ScoringInput {
  dryRun: boolean;
  /** The agent run this is; stored on every score row. */
  runId: string;
  /** Only these ASINs (their previous scores are replaced, the others' kept). */
  asins?: string[];
  onProgress?: (p: Record<string, number | string>) => void;
}

export interface ScoringCounts {
  /** ASINs with any data in the marketplace. */
  candidates: number;
  scored: number;
  /** Candidates none of whose components had inputs: no score row. */
  skipped: number;
  written: number;
  /** Score rows older than HISTORY_DAYS deleted (a dry run: that would be deleted). */
  pruned: number;
  /** Mean score and confidence of the scored ASINs (0 when none). */
  avg_score: number;
  avg_confidence: number;
  /** Per component: how many scored ASINs lacked its inputs. */
  missing_profitability: number;
  missing_demand: number;
  missing_competition: number;
  missing_stability: number;
  missing_returns: number;
}

const SAMPLE = 10;
/**
 * Days of score history kept besides every ASIN's current score. A nightly run over 100k ASINs adds
 * ~50 MB (measured; the explanations are most of a row), so unbounded history would grow by ~18 GB
 * a year; 90 days (~4.5 GB at 100k ASINs) still show how a score moved over a season.
 */
export const HISTORY_DAYS = 90;

/**
 * Scores every ASIN with data in the default marketplace (SPEC §7): inputs are gathered in SQL and
 * streamed through the mappings of score.ts, then COPYed into a staging table and swapped in as the
 * latest scores in one transaction. A dry run computes the same and writes nothing.
 */
export async function runScoring(deps: ScoringDeps, input: ScoringInput) {
  const marketplace = deps.config.AWA_MARKETPLACE;
  const weights = deps.config.SCORING_WEIGHTS;
  const scoredAt = deps.clock.now();
  const counts: ScoringCounts = {
    candidates: 0,
    scored: 0,
    skipped: 0,
    written: 0,
    pruned: 0,
    avg_score: 0,
    avg_confidence: 0,
    missing_profitability: 0,
    missing_demand: 0,
    missing_competition: 0,
    missing_stability: 0,
    missing_returns: 0,
  };
  let scoreSum = 0;
  let confidenceSum = 0;
  // the best-scored few, for a dry run's report (kept sorted, best first)
  const top: Scored[] = [];

  async function* scoredBatches(): AsyncGenerator<Scored[]> {
    for await (const batch of readInputs(deps.db.pool, { marketplace, now: scoredAt, asins: input.asins })) {
      const out: Scored[] = [];
      for (const inputs of batch) {
        counts.candidates++;
        const s = scoreOf(inputs, weights);
        if (!s) {
          counts.skipped++;
          continue;
        }
        counts.scored++;
        scoreSum += s.score;
        confidenceSum += s.confidence;
        for (const c of COMPONENT_COLUMNS) if (s.components[c] === null) counts[`missing_${c}`]++;
        if (top.length < SAMPLE || s.score > top[top.length - 1]!.score) {
          top.push(s);
          top.sort((a, b) => b.score - a.score || a.asin.localeCompare(b.asin));
          if (top.length > SAMPLE) top.pop();
        }
        out.push(s);
      }
      input.onProgress?.({ stage: 'scoring', candidates: counts.candidates, scored: counts.scored });
      yield out;
    }
  }

  const pruneBefore = new Date(scoredAt.getTime() - HISTORY_DAYS * 86_400_000);
  if (input.dryRun) {
    for await (const _ of scoredBatches());
    counts.pruned = await repo.countPrunable(deps.db.pool, marketplace, pruneBefore);
  } else {
    const scope = { marketplace, scoredAt, runId: input.runId, asins: input.asins };
    // one transaction: the staged rows replace the current scores all at once, or not at all
    const done = await withTransaction(deps.db, async (c) => {
      await repo.beginWrite(c, scope);
      await repo.stageScores(c, scope, scoredBatches());
      input.onProgress?.({ stage: 'writing' });
      return repo.swapInStaged(c, scope, pruneBefore);
    });
    counts.written = done.written;
    counts.pruned = done.pruned;
  }
  if (counts.scored > 0) {
    counts.avg_score = Math.round((scoreSum / counts.scored) * 100) / 100;
    counts.avg_confidence = Math.round((confidenceSum / counts.scored) * 10_000) / 10_000;
  }
  deps.log.info({ counts, marketplace }, 'scoring: run done');
  return {
    counts,
    result: {
      marketplace,
      scored_at: scoredAt.toISOString(),
      dry_run: input.dryRun,
      weights,
      ...(input.dryRun ? { top } : {}),
    },
  };
}

export interface ScoresQuery {
  score_min?: number;
  score_max?: number;
  confidence_min?: number;
  confidence_max?: number;
  vendor?: number;
  asin?: string;
  sort: ScoreSort;
  order?: repo.Order;
  page: number;
  page_size: number;
}

function invalid(field: string, message: string): AppError {
  return new AppError('invalid', `invalid request: ${field} ${message}`, [{ field, message }]);
}

export function toFilter(marketplace: string, q: ScoresQuery): ScoreFilter {
  if (q.score_min !== undefined && q.score_max !== undefined && q.score_min > q.score_max) {
    throw invalid('score_min', `(${q.score_min}) must not exceed score_max (${q.score_max})`);
  }
  if (
    q.confidence_min !== undefined &&
    q.confidence_max !== undefined &&
    q.confidence_min > q.confidence_max
  ) {
    throw invalid(
      'confidence_min',
      `(${q.confidence_min}) must not exceed confidence_max (${q.confidence_max})`,
    );
  }
  const f: ScoreFilter = {
    marketplace,
    scoreMin: q.score_min,
    scoreMax: q.score_max,
    confidenceMin: q.confidence_min,
    confidenceMax: q.confidence_max,
    vendorId: q.vendor,
  };
  const prefix = q.asin?.trim().toUpperCase();
  if (prefix) {
    if (!/^[A-Z0-9]{1,10}$/.test(prefix))
      throw invalid('asin', 'must be 1–10 letters or digits (an ASIN prefix)');
    f.asinPrefix = prefix;
  }
  return f;
}

const orderOf = (q: Pick<ScoresQuery, 'sort' | 'order'>) => q.order ?? (q.sort === 'asin' ? 'asc' : 'desc');

/** The latest score of every ASIN (GET /scores): filtered, sorted, paged, with a total. */
export async function listScores(db: Db, marketplace: string, q: ScoresQuery) {
  const filter = toFilter(marketplace, q);
  const order = orderOf(q);
  const offset = (q.page - 1) * q.page_size;
  const [total, items] = await Promise.all([
    repo.countLatest(db.pool, filter),
    repo.listPage(db.pool, filter, q.sort, order, q.page_size, offset),
  ]);
  return { total, page: q.page, page_size: q.page_size, sort: q.sort, order, items };
}

/** GET /scores.csv: the filter checked first (a bad one is a 400, not a broken download). */
export function exportScores(
  db: Db,
  marketplace: string,
  q: Omit<ScoresQuery, 'page' | 'page_size'>,
  now: Date,
) {
  const filter = toFilter(marketplace, { ...q, page: 1, page_size: 1 });
  return scoresCsv(db, filter, q.sort, orderOf(q), now);
}

/** One ASIN's latest score with components and explanation, or null if it was never scored. */
export async function latestScore(db: Db, marketplace: string, asin: string) {
  return repo.latestOf(db.pool, marketplace, asin);
}
