import type { Config } from '../../platform/config.ts';
import { AppError } from '../../platform/errors.ts';
import { perProcess } from '../../platform/jobs/clients.ts';
import { cronIntervalS } from '../../platform/jobs/cron.ts';
import type { JobContext, JobDefinition, JobOutcome } from '../../platform/jobs/index.ts';
import { createChannels } from './channels.ts';
import { newWorkerId } from './deliver.service.ts';
import { dispatch } from './dispatch.service.ts';
import { pendingCounts } from './targets.service.ts';

/** Seconds between two scheduled runs: each run dispatches until just before the next one starts. */
const intervalS = (config: Config): number => cronIntervalS(config.ALERTS_CRON) ?? 60;

// one set of clients per process: the per-chat and overall Telegram buckets outlive a run
const channelsFor = perProcess((ctx) =>
  createChannels({
    config: ctx.deps.config,
    clock: ctx.deps.clock,
    log: ctx.log,
    redis: ctx.deps.redis,
    metrics: ctx.metrics,
  }),
);
const WORKER = newWorkerId();

/**
 * The notification dispatcher (SPEC §11). A scheduled run is a long-lived loop that ends a moment
 * before the next run is due (the worker picks that one up at once), so delivery never waits for
 * cron's one-minute granularity; a manual run sends what is due now and stops.
 */
async function handler(ctx: JobContext): Promise<JobOutcome> {
  const { deps } = ctx;
  if (ctx.dryRun) {
    return { counts: await pendingCounts(deps), reason: 'dry run: counted what is waiting, sent nothing' };
  }
  const scheduled = ctx.trigger === 'schedule';
  const { counts, problems } = await dispatch(
    {
      db: deps.db,
      clock: deps.clock,
      log: ctx.log,
      config: deps.config,
      channels: channelsFor(ctx),
      worker: WORKER,
    },
    { seconds: scheduled ? Math.max(5, intervalS(deps.config) - 2) : 600, drain: !scheduled },
  );
  const bad = Object.values(problems);
  if (bad.length) {
    // after the loop, so the other channels still delivered; their messages wait, nothing is lost
    throw new AppError('config', `notifications held back: ${bad.join('; ')}`, problems);
  }
  return { counts: { ...counts } };
}

export const alertsJob: JobDefinition = {
  name: 'alerts',
  description: 'Deliver notifications: route the outbox, group, send to Telegram, e-mail and webhooks',
  schedule: (config) => config.ALERTS_CRON,
  startWithWorker: true,
  retry: { limit: 0, delaySeconds: 0, backoff: false },
  expireInSeconds: (config) => intervalS(config) + 120,
  handler,
};
