import { randomUUID } from 'node:crypto';
import { createSqsQueue, type MessageQueue } from '../../platform/aws/sqs.ts';
import type { Config } from '../../platform/config.ts';
import { AppError } from '../../platform/errors.ts';
import { perProcess } from '../../platform/jobs/clients.ts';
import { cronIntervalS } from '../../platform/jobs/cron.ts';
import type { JobContext, JobDefinition, JobOutcome } from '../../platform/jobs/index.ts';
import { createSubmitter, missingLiveConfig, type SubmitTuning } from '../repricer/listings.client.ts';
import { modeOf } from '../repricer/repricer.job.ts';
import { consume } from './consume.service.ts';
import { forgetOld } from './record.service.ts';
import { offersStatus } from './status.service.ts';

/** Seconds between two scheduled runs: each run consumes until just before the next one starts. */
const intervalS = (config: Config): number => cronIntervalS(config.OFFERS_CRON) ?? 60;

// A manual run (awa agent run offers) empties the queue and decides what it owed, at most this long.
const MANUAL_S = 600;

/**
 * The `offers` agent: Amazon's ANY_OFFER_CHANGED notifications from the SQS queue → buy box and
 * offer counts, and a debounced repricer decision for the SKUs on each notified ASIN. Like the
 * alerts dispatcher, a scheduled run is a long-lived loop that ends a moment before the next one is
 * due, and every worker start queues one, so consumers run side by side (the queue hands each
 * message to one of them; the claims keep an ASIN's decision to one). `tuning` is for tests and the bench.
 */
export function createOffersJob(
  tuning?: SubmitTuning & { queue?: (config: Config) => MessageQueue },
): JobDefinition {
  const queueFor = perProcess((ctx) => (tuning?.queue ?? createSqsQueue)(ctx.deps.config));
  const submitter = perProcess((ctx) =>
    createSubmitter(ctx.deps.config, { redis: ctx.deps.redis, metrics: ctx.metrics, log: ctx.log, tuning }),
  );
  return {
    name: 'offers',
    description:
      "Consume Amazon's offer-change notifications (SQS): buy box history, offer counts, repricer decisions",
    // without a queue there is nothing to poll: no schedule, and the worker-start run says why it skipped
    schedule: (config) => (config.OFFERS_SQS_QUEUE_URL ? config.OFFERS_CRON : undefined),
    startWithWorker: true,
    retry: { limit: 0, delaySeconds: 0, backoff: false },
    expireInSeconds: (config) => Math.max(intervalS(config), MANUAL_S) + 120,
    handler: async (ctx: JobContext): Promise<JobOutcome> => {
      const { config } = ctx.deps;
      if (!config.OFFERS_SQS_QUEUE_URL) {
        return {
          status: 'skipped',
          reason:
            'not configured: set OFFERS_SQS_QUEUE_URL (and run `awa offers subscribe`) to receive offer changes',
        };
      }
      const queue = queueFor(ctx);
      if (ctx.dryRun) {
        const s = await offersStatus({ db: ctx.deps.db, clock: ctx.deps.clock, config, queue });
        return {
          counts: { waiting: s.queue?.waiting ?? 0, pending_decisions: s.summary.pending },
          reason: 'dry run: counted what is waiting, received nothing',
        };
      }
      // `awa agent run offers --mode apply` as for the repricer; REPRICER_MODE otherwise
      const mode = modeOf(ctx, config);
      if (mode === 'live' && missingLiveConfig(config).length > 0) {
        throw new AppError(
          'config',
          `offers: REPRICER_MODE=live needs ${missingLiveConfig(config).join(', ')}`,
        );
      }
      const scheduled = ctx.trigger === 'schedule';
      const counts = await consume(
        {
          db: ctx.deps.db,
          config,
          clock: ctx.deps.clock,
          log: ctx.log,
          submitter: () => submitter(ctx),
          sleep: tuning?.sleep,
          feedPollLimitMs: tuning?.feedPollLimitMs,
          queue,
          worker: `${ctx.runId}:${randomUUID().slice(0, 8)}`,
        },
        {
          mode,
          until: Date.now() + 1000 * (scheduled ? Math.max(5, intervalS(config) - 2) : MANUAL_S),
          drain: !scheduled,
          onDecided: (_, c) => ctx.progress({ stage: 'consuming', ...c }),
        },
      );
      const trimmed = await forgetOld({ db: ctx.deps.db, config, clock: ctx.deps.clock });
      if (counts.tripped > 0) {
        return {
          status: 'tripped',
          reason: `circuit breaker tripped in ${counts.tripped} of ${counts.decisions} notified decisions; their prices were not applied`,
          counts: { ...counts, trimmed },
        };
      }
      return { counts: { ...counts, trimmed } };
    },
  };
}

export const offersJob = createOffersJob();
