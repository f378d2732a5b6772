import type { JobContext, JobDefinition, JobOutcome } from '../../platform/jobs/index.ts';
import { evaluate } from './engine.service.ts';
import { agentSchedules } from './schedules.ts';

/**
 * The safety net of the decision inbox (SPEC §10): writers evaluate the rules their change feeds as
 * soon as they commit; this evaluates every rule on a schedule, wakes snoozed tasks, expires stale
 * ones and notices agents that stopped running.
 */
async function handler(ctx: JobContext): Promise<JobOutcome> {
  const schedules = await agentSchedules(ctx.deps.config, ctx.deps.clock.now());
  const r = await evaluate(ctx.deps, { schedules, dryRun: ctx.dryRun });
  const { types: _types, dry_run: _dry, ...counts } = r;
  return { counts, reason: r.dry_run ? 'dry run: evaluated and rolled back' : undefined };
}

export const decisionsJob: JobDefinition = {
  name: 'decisions',
  description: 'Evaluate the inbox rules: raise, update and resolve tasks; wake snoozed ones',
  schedule: (config) => config.DECISIONS_CRON,
  retry: { limit: 1, delaySeconds: 60, backoff: false },
  expireInSeconds: 900,
  handler,
};
