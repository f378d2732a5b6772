import type { TObject } from '@sinclair/typebox';
import type { Redis } from 'ioredis';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/pool.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { ObjectStore } from '../storage/store.ts';

export type RunStatus = 'success' | 'failed' | 'skipped' | 'tripped';
export type Trigger = 'manual' | 'schedule' | 'api';

/** What every job handler may use; passed explicitly, never looked up globally. */
export interface JobDeps {
  config: Config;
  db: Db;
  store: ObjectStore;
  clock: Clock;
  log: Logger;
  /** Set when REDIS_URL is: shared rate limits (token buckets) across workers. */
  redis?: Redis;
}

export type Progress = { stage?: string } & Record<string, number | string | undefined>;

/**
 * Job name → the payload it is queued with. Each job that takes one adds its entry (declaration
 * merging, next to its schema), so `JobQueue.enqueue` checks a payload when it is written; the
 * schema checks it again when a worker takes the job (a payload queued by an older release).
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the jobs that take a payload
export interface JobPayloads {}

/** What every queued job may carry besides its payload. */
export interface JobControl {
  dry_run?: boolean;
  trigger?: Trigger;
}

export interface JobContext<P = Record<string, unknown>> {
  runId: string;
  dryRun: boolean;
  trigger: Trigger;
  log: Logger;
  deps: JobDeps;
  /** The process's metrics (e.g. for the shared HTTP client's per-API counters). */
  metrics: Metrics;
  /** The job's payload (from `enqueue`), checked against its schema; `{}` from the CLI or the scheduler. */
  data: P;
  /**
   * Publishes interim counts (e.g. rows read) and the current `stage` on the run record; cheap to
   * call often (throttled to one write a second, but a new stage is written at once).
   */
  progress(update: Progress): void;
}

export interface JobOutcome {
  /** Defaults to success; `skipped` (e.g. not configured) and `tripped` (a guard fired) are not failures. */
  status?: Exclude<RunStatus, 'failed'>;
  counts?: Record<string, number>;
  reason?: string;
  /** A detailed result (e.g. an import summary) kept as the job's output, not in agent_runs. */
  result?: unknown;
}

export interface RetryPolicy {
  limit: number;
  delaySeconds: number;
  backoff: boolean;
}

export interface JobDefinition<P = Record<string, unknown>> {
  /** Queue and agent name: lower-case, used in metric names (`awa_<name>_runs_total`). */
  name: string;
  description: string;
  /** Cron expression (UTC), read from config so deployments can move it; undefined = on demand only. */
  schedule?: (config: Config) => string | undefined;
  retry: RetryPolicy;
  /**
   * Queue a run as soon as a worker starts, not at the next cron tick: for a long-running loop (the
   * notification dispatcher) that a restarted worker should resume at once. Every worker start
   * queues one, so runs of such a job must be safe side by side.
   */
  startWithWorker?: boolean;
  /** A run still active after this long is considered dead (its worker died) and retried. */
  expireInSeconds: number | ((config: Config) => number);
  /** The payload's schema, checked when the job is taken: a payload that fails it fails the run, unretried. */
  payload?: TObject;
  handler(ctx: JobContext<P>): Promise<JobOutcome>;
}

export interface RunRecord {
  agent: string;
  run_id: string;
  status: RunStatus | 'running';
  dry_run: boolean;
  trigger: Trigger;
  job_id: string | null;
  counts: Record<string, number>;
  reason: string | null;
  error: string | null;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
}

/** What runJob returns: the stored record plus what the queue needs to decide on a retry. */
export interface RunResult extends RunRecord {
  result?: unknown;
  /** False for failures that retrying cannot fix (invalid input, missing config). */
  retryable: boolean;
}
