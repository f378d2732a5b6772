import { findJob } from '../../jobs/registry.ts';
import { type JobDeps, listRuns, runJob } from '../../platform/jobs/index.ts';
import { Metrics } from '../../platform/metrics.ts';

/** The agents the demo shows at work, with the data each is started with. */
export const DEMO_AGENTS: ReadonlyArray<{ name: string; data: Record<string, unknown> }> = [
  { name: 'scoring', data: {} },
  // decide and log only: the demo never sets a price, let alone sends one to Amazon
  { name: 'repricer', data: { mode: 'dry_run' } },
  { name: 'restock', data: {} },
];

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
