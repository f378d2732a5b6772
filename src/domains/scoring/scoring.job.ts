import {
  ASIN_LIST_PAYLOAD,
  distinctAsins,
  type JobContext,
  type JobOutcome,
  withPayload,
} from '../../platform/jobs/index.ts';
import { runScoring } from './scoring.service.ts';

async function handler(ctx: JobContext<{ asins?: string[] }>): Promise<JobOutcome> {
  const run = await runScoring(
    { db: ctx.deps.db, config: ctx.deps.config, clock: ctx.deps.clock, log: ctx.log },
    {
      dryRun: ctx.dryRun,
      runId: ctx.runId,
      asins: distinctAsins(ctx.data),
      onProgress: (p) => ctx.progress(p),
    },
  );
  return {
    counts: { ...run.counts },
    reason: ctx.dryRun ? 'dry run: scores computed, nothing written' : undefined,
    result: run.result,
  };
}

/** The nightly `scoring` agent (SPEC §7): scores every ASIN with data in the default marketplace. */
export const scoringJob = withPayload(ASIN_LIST_PAYLOAD, {
  name: 'scoring',
  description: 'Score every ASIN 0–100 from profitability, demand, competition, price stability and returns',
  schedule: (config) => config.SCORING_CRON,
  // the run is one transaction: a retry starts over cleanly
  retry: { limit: 1, delaySeconds: 300, backoff: false },
  expireInSeconds: 3600,
  handler,
});
