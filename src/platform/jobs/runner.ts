import { performance } from 'node:perf_hooks';
import { messageOf } from '../errors.ts';
import type { Metrics } from '../metrics.ts';
import { finishRun, insertRun } from './runs.repo.ts';
import type { JobDefinition, JobDeps, RunRecord, Trigger } from './types.ts';

export interface RunOptions {
  dryRun?: boolean;
  trigger?: Trigger;
  jobId?: string;
}

/**
 * Runs one job and records it: an `agent_runs` row (inserted as `running` first, so a crash leaves
 * a visible trace), the outcome, and the run metrics. A thrown error becomes a `failed` run; the
 * record is returned either way so callers decide whether to retry (worker) or exit non-zero (CLI).
 */
export async function runJob(
  def: JobDefinition,
  deps: JobDeps,
  metrics: Metrics,
  opts: RunOptions = {},
): Promise<RunRecord> {
  const dryRun = opts.dryRun ?? false;
  const trigger = opts.trigger ?? 'manual';
  const started = deps.clock.now();
  const t0 = performance.now();
  const run = await insertRun(deps.db.kysely, {
    agent: def.name,
    dryRun,
    trigger,
    jobId: opts.jobId,
    startedAt: started,
  });
  const log = deps.log.child({ agent: def.name, run_id: run.run_id, dry_run: dryRun });
  log.info({ trigger }, 'run started');
  let status: RunRecord['status'];
  let counts: Record<string, number> = {};
  let reason: string | undefined;
  let error: string | undefined;
  try {
    const out = await def.handler({ runId: run.run_id, dryRun, trigger, log, deps });
    status = out.status ?? 'success';
    counts = out.counts ?? {};
    reason = out.reason;
  } catch (err) {
    status = 'failed';
    error = messageOf(err);
    log.error({ err }, 'run failed');
  }
  const ms = performance.now() - t0;
  const m = metrics.agent(def.name);
  m.runs.inc({ status });
  m.duration.observe({ status }, ms / 1000);
  const done = await finishRun(deps.db.kysely, run.run_id, {
    status,
    counts,
    reason,
    error,
    finishedAt: deps.clock.now(),
    durationMs: ms,
  });
  log.info({ status, counts, duration_ms: Math.round(ms) }, 'run finished');
  return done;
}
