import type { Config } from '../../platform/config.ts';
import { AppError } from '../../platform/errors.ts';
import { perProcess } from '../../platform/jobs/clients.ts';
import type { JobContext, JobDefinition, JobOutcome } from '../../platform/jobs/index.ts';
import { evaluateAfter } from '../decisions/engine.service.ts';
import { createSubmitter, type SubmitTuning } from './listings.client.ts';
import { MODES, type Mode } from './plan.ts';
import { runRepricer } from './run.service.ts';

/** ctx.data.mode (CLI --mode, API payload) wins over REPRICER_MODE; a dry run is always dry_run. */
export function modeOf(ctx: Pick<JobContext, 'data' | 'dryRun'>, config: Config): Mode {
  const m = ctx.data.mode;
  if (m !== undefined && !MODES.includes(m as Mode)) {
    throw new AppError('invalid', `repricer: data.mode must be dry_run, apply or live (not ${String(m)})`);
  }
  if (ctx.dryRun) return 'dry_run';
  return (m as Mode | undefined) ?? config.REPRICER_MODE;
}

/**
 * The `repricer` agent. Like the fees agent, its SP-API client lives as long as the definition (one
 * per process): the LWA token and the 5 requests/s token bucket (Redis-shared when configured) carry
 * over between runs. `tuning` is for tests and the bench (virtual time).
 */
export function createRepricerJob(tuning?: SubmitTuning): JobDefinition {
  const client = perProcess((ctx) =>
    createSubmitter(ctx.deps.config, { redis: ctx.deps.redis, metrics: ctx.metrics, log: ctx.log, tuning }),
  );
  // created on first use: only live runs need (and can build) an SP-API client
  const submitterFor = (ctx: JobContext) => () => client(ctx);
  return {
    name: 'repricer',
    description:
      'Reprice active listings within floor/ceiling guards (dry_run, apply or live per REPRICER_MODE)',
    schedule: (config) => config.REPRICER_CRON,
    // a retry 5 minutes later re-decides from the prices then in force; the next 15-minute run follows anyway
    retry: { limit: 1, delaySeconds: 300, backoff: false },
    // 10,000 live changes at 5/s take 33 minutes
    expireInSeconds: 3600,
    handler: async (ctx): Promise<JobOutcome> => {
      const mode = modeOf(ctx, ctx.deps.config);
      const run = await runRepricer(
        {
          db: ctx.deps.db,
          config: ctx.deps.config,
          clock: ctx.deps.clock,
          log: ctx.log,
          submitter: submitterFor(ctx),
          sleep: tuning?.sleep,
          feedPollLimitMs: tuning?.feedPollLimitMs,
        },
        { runId: ctx.runId, mode, onProgress: (p) => ctx.progress(p) },
      );
      // proposals to approve and price wars to watch (SPEC §10); a dry-run job writes nothing to see
      if (!ctx.dryRun) await evaluateAfter({ ...ctx.deps, log: ctx.log }, 'repricer');
      return { status: run.status, reason: run.reason, counts: run.counts, result: run.result };
    },
  };
}

export const repricerJob = createRepricerJob();
