import { performance } from 'node:perf_hooks';
import { isAppError, messageOf } from '../errors.ts';
import type { Metrics } from '../metrics.ts';
import { checkPayload } from './payload.ts';
import { closeAbandonedRuns, finishRun, insertRun, updateRunCounts } from './runs.repo.ts';
import type { JobDefinition, JobDeps, Progress, RunRecord, RunResult, Trigger } from './types.ts';

export interface RunOptions {
  dryRun?: boolean;
  trigger?: Trigger;
  jobId?: string;
  data?: Record<string, unknown>;
}

// Failures caused by the input or the setup: a retry would fail the same way.
const FINAL_KINDS = new Set(['invalid', 'not_found', 'config', 'forbidden', 'unauthorized', 'conflict']);

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
): Promise<RunResult> {
  const dryRun = opts.dryRun ?? false;
  const trigger = opts.trigger ?? 'manual';
  const started = deps.clock.now();
  const t0 = performance.now();
  if (opts.jobId) await closeAbandonedRuns(deps.db.pool, opts.jobId, started);
  const run = await insertRun(deps.db.pool, {
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
  let result: unknown;
  let retryable = true;
  let lastProgress = 0;
  let current: Record<string, number | string> = {};
  let pending: Promise<void> = Promise.resolve();
  const progress = (update: Progress) => {
    const now = performance.now();
    const newStage = update.stage !== undefined && update.stage !== current.stage;
    current = { ...current, ...(update as Record<string, number | string>) };
    if (!newStage && now - lastProgress < 1000) return;
    lastProgress = now;
    const snapshot = current;
    pending = pending.then(() => updateRunCounts(deps.db.pool, run.run_id, snapshot).catch(() => {}));
  };
  try {
    checkPayload(def, opts.data ?? {});
    const out = await def.handler({
      runId: run.run_id,
      dryRun,
      trigger,
      log,
      deps,
      metrics,
      data: opts.data ?? {},
      progress,
    });
    status = out.status ?? 'success';
    counts = out.counts ?? {};
    reason = out.reason;
    result = out.result;
  } catch (err) {
    status = 'failed';
    error = messageOf(err);
    retryable = !(isAppError(err) && FINAL_KINDS.has(err.kind));
    if (isAppError(err)) result = err.details;
    log.error({ err }, 'run failed');
  }
  await pending;
  const ms = performance.now() - t0;
  const m = metrics.agent(def.name);
  m.runs.inc({ status });
  m.duration.observe({ status }, ms / 1000);
  const done = await finishRun(deps.db.pool, run.run_id, {
    status,
    counts,
    reason,
    error,
    finishedAt: deps.clock.now(),
    durationMs: ms,
  });
  log.info({ status, counts, duration_ms: Math.round(ms) }, 'run finished');
  return { ...done, result, retryable };
}
