import { Cron } from 'croner';
import type { JobContext, JobDefinition, JobOutcome } from '../../platform/jobs/index.ts';
import { evaluate } from './engine.service.ts';

/** Each scheduled agent and the seconds between two of its runs, for agent_overdue. */
async function scheduledAgents(ctx: JobContext): Promise<{ agent: string; interval_s: number }[]> {
  // loaded here, not at the top: the registry lists this job, so a static import would be a cycle
  const { schedulesFor } = await import('../../jobs/registry.ts');
  const now = ctx.deps.clock.now();
  const out: { agent: string; interval_s: number }[] = [];
  for (const [agent, pattern] of schedulesFor(ctx.deps.config)) {
    const [a, b] = new Cron(pattern, { timezone: 'UTC' }).nextRuns(2, now);
    if (a && b) out.push({ agent, interval_s: (b.getTime() - a.getTime()) / 1000 });
  }
  return out;
}

/**
 * The safety net of the decision inbox (SPEC §10): writers evaluate the rules their change feeds as
 * soon as they commit; this evaluates every rule on a schedule, wakes snoozed tasks, expires stale
 * ones and notices agents that stopped running.
 */
async function handler(ctx: JobContext): Promise<JobOutcome> {
  const r = await evaluate(ctx.deps, { schedules: await scheduledAgents(ctx), dryRun: ctx.dryRun });
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
