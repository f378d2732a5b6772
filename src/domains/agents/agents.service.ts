import { Cron } from 'croner';
import { JOBS, schedulesFor } from '../../jobs/registry.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/pool.ts';
import { AppError } from '../../platform/errors.ts';
import { type JobQueue, listRuns, type RunRecord } from '../../platform/jobs/index.ts';
import { BOM, csvLine } from '../../platform/tabular/csv-export.ts';
import { installedAt, latestRuns } from './agents.repo.ts';

export interface Page {
  page: number;
  page_size: number;
}

export function listAgents(config: Config) {
  const schedules = schedulesFor(config);
  return JOBS.map((j) => ({
    name: j.name,
    description: j.description,
    schedule: schedules.get(j.name) ?? null,
  }));
}

export async function recentRuns(db: Db, f: { agent?: string; status?: string } & Page) {
  const { total, runs } = await listRuns(db.pool, {
    agent: f.agent,
    status: f.status,
    limit: f.page_size,
    offset: (f.page - 1) * f.page_size,
  });
  return { total, page: f.page, page_size: f.page_size, items: runs };
}

export const RUN_CSV_COLUMNS = [
  'agent',
  'run_id',
  'status',
  'dry_run',
  'trigger',
  'job_id',
  'started_at',
  'finished_at',
  'duration_ms',
  'reason',
  'error',
  'counts',
] as const satisfies readonly (keyof RunRecord)[];

// runs are a few hundred a day (the repricer every 15 minutes); plain pages of this size suffice
const CSV_BATCH = 1000;

/**
 * GET /agents/runs.csv: every run the filter matches, newest first, as GET /agents/runs pages them;
 * a run's counts as one JSON cell (each agent has its own figures).
 */
export function runsCsv(db: Db, f: { agent?: string; status?: string }, now: Date) {
  async function* lines(): AsyncGenerator<string> {
    yield BOM + csvLine(RUN_CSV_COLUMNS);
    for (let offset = 0; ; offset += CSV_BATCH) {
      const { runs } = await listRuns(db.pool, { ...f, limit: CSV_BATCH, offset });
      const cells = (r: RunRecord) =>
        RUN_CSV_COLUMNS.map((c) => (c === 'counts' ? JSON.stringify(r.counts) : r[c]));
      if (runs.length > 0) yield runs.map((r) => csvLine(cells(r))).join('');
      if (runs.length < CSV_BATCH) return;
    }
  }
  return { filename: `awa-agent-runs-${now.toISOString().slice(0, 10)}.csv`, lines: lines() };
}

export async function enqueueAgent(jobs: JobQueue, name: string, dryRun: boolean) {
  const jobId = await jobs.enqueue(name, { dry_run: dryRun, trigger: 'api' });
  return { job_id: jobId, agent: name, dry_run: dryRun, state: 'created' };
}

const STATE: Record<string, string> = {
  created: 'queued',
  retry: 'retrying',
  active: 'running',
  failed: 'failed',
  cancelled: 'cancelled',
};

/** SPEC §4's stages: queued → (the job's own stages while running) → done | failed. */
function stageOf(status: string, latest: RunRecord | undefined): string {
  if (status === 'failed') return 'failed';
  if (status === 'queued' || status === 'retrying') return 'queued';
  if (status !== 'running') return 'done';
  // the run can be recorded as finished a moment before the queue hears of it: its counts then no
  // longer carry a stage, and the job is as good as done (or being retried after a failure)
  if (latest && latest.status !== 'running') return latest.status === 'failed' ? 'queued' : 'done';
  return String(latest?.counts.stage ?? 'running');
}

/**
 * A job as a user reads it: `status` is queued | retrying | running | success | skipped | tripped |
 * failed (a job that failed for good without retries completes in pg-boss, so its output decides),
 * `queue_state` pg-boss's own word, `progress` the running attempt's interim counts, `result` the
 * detailed outcome, and the agent runs it produced (one per attempt, newest first).
 */
export async function jobStatus(jobs: JobQueue, db: Db, id: string) {
  const job = await jobs.status(id);
  if (!job) throw new AppError('not_found', `no job ${id}`);
  const { runs } = await listRuns(db.pool, { jobId: id, limit: 20, offset: 0 });
  const output = (job.output ?? {}) as { status?: string; result?: unknown; error?: string };
  const status = job.state === 'completed' ? (output.status ?? 'success') : (STATE[job.state] ?? job.state);
  const latest = runs[0] as RunRecord | undefined;
  return {
    id: job.id,
    name: job.name,
    status,
    queue_state: job.state,
    data: job.data,
    stage: stageOf(status, latest),
    progress: latest?.status === 'running' ? latest.counts : undefined,
    result: output.result,
    error: output.error ?? (status === 'failed' ? latest?.error : undefined),
    retry_count: job.retry_count,
    created_on: job.created_on,
    started_on: job.started_on,
    completed_on: job.completed_on,
    runs: runs as RunRecord[],
  };
}

export interface AgentHealth {
  name: string;
  schedule: string | null;
  last_status: string | null;
  last_run_at: Date | null;
  last_error: string | null;
  last_success_at: Date | null;
  /** The newest run failed. */
  failed: boolean;
  /** Scheduled, and no successful run (dry runs aside) within twice the schedule's interval. */
  overdue: boolean;
  next_due_at: Date | null;
}

/**
 * The schedule's interval as it stands at `now`: the gap between the last two times it fired (the
 * scheduler runs cron in UTC). For an irregular schedule (weekdays only) that is the gap that
 * applies now, so a Monday is not overdue for the weekend's missing runs.
 */
export function scheduleTimes(cron: string, now: Date): { interval_ms: number; next: Date | null } {
  const c = new Cron(cron, { paused: true, timezone: 'UTC' });
  const [last, before] = c.previousRuns(2, now);
  const next = c.nextRun(now);
  const interval =
    last && before ? last.getTime() - before.getTime() : next && last ? next.getTime() - last.getTime() : 0;
  return { interval_ms: interval, next };
}

/** Every agent with its last run, whether it failed or is overdue, and when it is due next. */
export async function agentHealth(deps: {
  db: Db;
  config: Config;
  clock: { now(): Date };
}): Promise<AgentHealth[]> {
  const now = deps.clock.now();
  const schedules = schedulesFor(deps.config);
  const [latest, installed] = await Promise.all([
    latestRuns(
      deps.db.pool,
      JOBS.map((j) => j.name),
    ),
    installedAt(deps.db.pool),
  ]);
  const runs = new Map(latest.map((r) => [r.agent, r]));
  return JOBS.map((j) => {
    const r = runs.get(j.name);
    const cron = schedules.get(j.name) ?? null;
    const times = cron ? scheduleTimes(cron, now) : null;
    const success = r?.last_success_at ?? null;
    // an agent that never succeeded is late only once it had its chances since AWA was installed:
    // a fresh installation is not "overdue" on everything
    const since = success ?? installed;
    const overdue =
      times !== null &&
      times.interval_ms > 0 &&
      (since === null || now.getTime() - since.getTime() > 2 * times.interval_ms);
    return {
      name: j.name,
      schedule: cron,
      last_status: r?.last_status ?? null,
      last_run_at: r?.last_started_at ?? null,
      last_error: r?.last_error ?? null,
      last_success_at: success,
      failed: r?.last_status === 'failed',
      overdue,
      next_due_at: times?.next ?? null,
    };
  });
}
