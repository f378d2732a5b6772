import { AppError } from '../../platform/errors.ts';
import type { JobContext, JobDefinition, JobOutcome } from '../../platform/jobs/index.ts';
import { runScoring } from './scoring.service.ts';

const ASIN = /^[A-Z0-9]{10}$/;

function asinsOf(data: Record<string, unknown>): string[] | undefined {
  const a = data.asins;
  if (a === undefined) return undefined;
  if (!Array.isArray(a) || a.length === 0 || !a.every((x) => typeof x === 'string' && ASIN.test(x))) {
    throw new AppError('invalid', 'scoring: data.asins must be a non-empty list of 10-character ASINs');
  }
  return [...new Set(a as string[])];
}

async function handler(ctx: JobContext): Promise<JobOutcome> {
  const run = await runScoring(
    { db: ctx.deps.db, config: ctx.deps.config, clock: ctx.deps.clock, log: ctx.log },
    { dryRun: ctx.dryRun, runId: ctx.runId, asins: asinsOf(ctx.data), onProgress: (p) => ctx.progress(p) },
  );
  return {
    counts: { ...run.counts },
    reason: ctx.dryRun ? 'dry run: scores computed, nothing written' : undefined,
    result: run.result,
  };
}

/** The nightly `scoring` agent (SPEC §7): scores every ASIN with data in the default marketplace. */
export const scoringJob: JobDefinition = {
  name: 'scoring',
  description: 'Score every ASIN 0–100 from profitability, demand, competition, price stability and returns',
  schedule: (config) => config.SCORING_CRON,
  // the run is one transaction: a retry starts over cleanly
  retry: { limit: 1, delaySeconds: 300, backoff: false },
  expireInSeconds: 3600,
  handler,
};
