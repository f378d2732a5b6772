import { Cron } from 'croner';
import { findJob, schedulesFor } from '../../jobs/registry.ts';
import { fixedClock } from '../../platform/clock.ts';
import { AppError } from '../../platform/errors.ts';
import { type JobDeps, listRuns, runJob } from '../../platform/jobs/index.ts';
import { silentLogger } from '../../platform/logger.ts';
import { Metrics } from '../../platform/metrics.ts';

/** The agents the demo shows at work, with the data each is started with. */
export const DEMO_AGENTS: ReadonlyArray<{ name: string; data: Record<string, unknown> }> = [
  { name: 'scoring', data: {} },
  // decide and log only: the demo never sets a price, let alone sends one to Amazon
  { name: 'repricer', data: { mode: 'dry_run' } },
  { name: 'restock', data: {} },
  // last: the scheduled evaluation of every rule, the only one that knows the agents' schedules
  { name: 'decisions', data: {} },
];

/** The agent whose last run failed, and why (the error the Keepa client raises for a refused key). */
export const FAILED_AGENT = 'keepa';
export const FAILED_AGENT_ERROR = 'Keepa rejected KEEPA_KEY (HTTP 401): check the key in your Keepa account';
/** The scheduled agent the scheduler last started about three of its intervals ago. */
export const OVERDUE_AGENT = 'logistics';

/**
 * The agents' recent past, recorded as runs through the job runner with the clock of their time, so
 * the inbox has agents to report: someone ran keepa an hour ago with a wrong key (agent_failed), and
 * the scheduler, which last ran logistics some three days ago, has not run since (agent_overdue).
 * Their handlers are stand-ins that end as those runs ended: a replay calls no API and writes no
 * data, and logs nothing, as it tells of the past.
 */
export async function replayAgentHistory(deps: JobDeps): Promise<void> {
  const now = deps.clock.now();
  const metrics = new Metrics();
  const at = (d: Date) => ({ ...deps, log: silentLogger, clock: fixedClock(d) });
  const keepa = findJob(FAILED_AGENT);
  if (keepa) {
    const failing = async (): Promise<never> => {
      throw new AppError('config', FAILED_AGENT_ERROR);
    };
    await runJob({ ...keepa, handler: failing }, at(new Date(now.getTime() - 3_600_000)), metrics);
  }
  const overdue = findJob(OVERDUE_AGENT);
  const pattern = schedulesFor(deps.config).get(OVERDUE_AGENT);
  if (overdue && pattern) {
    // a time the schedule fired at, 2.5–3.5 intervals ago: overdue (2 intervals) whatever the cron
    const cron = new Cron(pattern, { timezone: 'UTC' });
    const [a, b] = cron.nextRuns(2, now);
    const last = a && b ? cron.nextRun(new Date(now.getTime() - 3.5 * (b.getTime() - a.getTime()))) : null;
    if (last) {
      // as it ends in a demo installation: no rate-card sources configured
      const skipped = async () => ({ status: 'skipped' as const, reason: 'not_configured' });
      await runJob({ ...overdue, handler: skipped }, at(last), metrics, { trigger: 'schedule' });
    }
  }
}

export interface AgentRun {
  agent: string;
  /** A run's status, `not_available` when this build has no such agent, `not_run` when none ran yet. */
  status: string;
  run_id: string | null;
  counts: Record<string, number>;
  reason: string | null;
  error: string | null;
  /** False when the run shown is an earlier one (a repeated demo load changed nothing). */
  this_load: boolean;
}

/**
 * Runs each demo agent once through the job runner (recorded in agent_runs like any manual run), or
 * with `latestOnly` reports each one's latest recorded run instead.
 */
export async function runAgents(deps: JobDeps, opts: { latestOnly?: boolean } = {}): Promise<AgentRun[]> {
  const out: AgentRun[] = [];
  const metrics = new Metrics();
  for (const { name, data } of DEMO_AGENTS) {
    const def = findJob(name);
    const none = { agent: name, run_id: null, counts: {}, reason: null, error: null, this_load: false };
    if (!def) {
      out.push({ ...none, status: 'not_available' });
      continue;
    }
    if (opts.latestOnly) {
      const { runs } = await listRuns(deps.db.pool, { agent: name, limit: 1, offset: 0 });
      const run = runs[0];
      out.push(
        run
          ? {
              ...none,
              status: run.status,
              run_id: run.run_id,
              counts: run.counts,
              reason: run.reason,
              error: run.error,
            }
          : { ...none, status: 'not_run' },
      );
      continue;
    }
    const run = await runJob(def, deps, metrics, { dryRun: false, trigger: 'manual', data });
    out.push({
      agent: name,
      status: run.status,
      run_id: run.run_id,
      counts: run.counts,
      reason: run.reason,
      error: run.error,
      this_load: true,
    });
  }
  return out;
}
