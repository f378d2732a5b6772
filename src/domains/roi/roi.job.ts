import type { JobContext, JobDefinition, JobOutcome } from '../../platform/jobs/index.ts';
import { countOffers } from './roi.refresh.repo.ts';
import { refreshRoi, roiSettingsFrom } from './roi.service.ts';

/**
 * Imports refresh the view themselves; the schedule catches inputs that change without one (fees,
 * buy box, fx and freight loads, configuration) and the daily change of the freight lanes in force.
 */
async function runRefresh(ctx: JobContext): Promise<JobOutcome> {
  const { db, config } = ctx.deps;
  if (ctx.dryRun) {
    return { counts: { rows: await countOffers(db), refreshed: 0 }, reason: 'dry run: view not refreshed' };
  }
  const r = await refreshRoi(db, {
    settings: roiSettingsFrom(config),
    reason: `job:${ctx.trigger}`,
    clock: ctx.deps.clock,
  });
  return { counts: { rows: r.rows, refreshed: 1, refresh_ms: r.duration_ms } };
}

export const roiRefreshJob: JobDefinition = {
  name: 'roi_refresh',
  description: 'Refresh the landed-cost and ROI view from prices, fees, buy box, fx and freight rates',
  schedule: (config) => config.ROI_REFRESH_CRON,
  retry: { limit: 1, delaySeconds: 30, backoff: false },
  expireInSeconds: 1800,
  handler: runRefresh,
};
