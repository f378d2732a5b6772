import type { JobContext, JobDefinition, JobOutcome } from '../../platform/jobs/index.ts';
import { evaluateAfter } from '../decisions/engine.service.ts';
import { roiSettingsFrom, updateRoi } from './roi.service.ts';

/**
 * Writers that change ROI inputs through AWA bring ROI up to date themselves once they commit; the
 * schedule catches the rest (decisions, configuration) and rebuilds once a day, when the freight lanes
 * in force and the 90-day windows move. With nothing noted a run costs a few milliseconds.
 */
async function runUpdate(ctx: JobContext): Promise<JobOutcome> {
  const { db, config } = ctx.deps;
  const r = await updateRoi(db, {
    settings: roiSettingsFrom(config),
    reason: `job:${ctx.trigger}`,
    clock: ctx.deps.clock,
    dryRun: ctx.dryRun,
  });
  const counts = {
    keys: r.keys,
    asins: r.asins,
    deleted: r.deleted,
    inserted: r.inserted,
    update_ms: r.duration_ms,
  };
  if (r.dry_run) return { counts, reason: `dry run: a ${r.mode} rolled back` };
  // a refresh that changed offers feeds the ROI rules; with nothing changed there is nothing to see
  if (r.deleted + r.inserted > 0) await evaluateAfter({ db, clock: ctx.deps.clock, log: ctx.log }, 'roi');
  return { counts };
}

export const roiRefreshJob: JobDefinition = {
  name: 'roi_refresh',
  description:
    'Bring landed cost and ROI up to date with changed prices, fees, buy box, fx and freight rates',
  schedule: (config) => config.ROI_REFRESH_CRON,
  retry: { limit: 1, delaySeconds: 30, backoff: false },
  expireInSeconds: 1800,
  handler: runUpdate,
};
