import type PgBoss from 'pg-boss';
import { type Config, loadConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { runJob } from './runner.ts';
import type { JobControl, JobDefinition, JobDeps, JobPayloads, RunRecord, Trigger } from './types.ts';

/** Called with each finished run a worker took from the queue. */
export type AfterRun = (run: RunRecord) => Promise<void>;

export interface JobData {
  dry_run?: boolean;
  trigger?: Trigger;
  [key: string]: unknown;
}

export interface JobStatus {
  id: string;
  name: string;
  state: string;
  data: unknown;
  output: unknown;
  retry_count: number;
  created_on: string;
  started_on: string | null;
  completed_on: string | null;
}

const SCHEMA = 'pgboss';

function bossOptions(url: string, extra: Partial<PgBoss.ConstructorOptions> = {}): PgBoss.ConstructorOptions {
  return {
    connectionString: url,
    schema: SCHEMA,
    max: 4,
    application_name: `awa-jobs:${process.pid}`,
    ...extra,
  };
}

/** Creates pg-boss's schema (used by tests to bake it into the template database). */
export async function installJobSchema(url: string): Promise<void> {
  const { default: Boss } = await import('pg-boss');
  const boss = new Boss(bossOptions(url, { supervise: false, schedule: false }));
  boss.on('error', () => {});
  await boss.start();
  await boss.stop({ graceful: false, wait: true });
}

/**
 * The platform's face of pg-boss. Every role can enqueue and read job status; only the worker
 * role consumes queues and supervises (expiry, retention), only the scheduler fires cron schedules.
 */
export class JobQueue {
  private constructor(
    private readonly boss: PgBoss,
    private readonly defs: Map<string, JobDefinition>,
    private readonly log: Logger,
  ) {}

  static async open(
    url: string,
    defs: JobDefinition[],
    opts: { worker: boolean; scheduler: boolean; log: Logger; config?: Config },
  ): Promise<JobQueue> {
    // loaded on first use (~16 MB): most CLI commands never touch the queue
    const { default: Boss } = await import('pg-boss');
    const boss = new Boss(
      bossOptions(url, {
        supervise: opts.worker,
        schedule: opts.scheduler,
        // how often a worker looks for runs whose worker died (expired) so they are retried
        maintenanceIntervalSeconds: opts.config?.JOBS_MAINTENANCE_INTERVAL_SECONDS ?? 120,
      }),
    );
    boss.on('error', (err) => opts.log.error({ err }, 'job queue error'));
    await boss.start();
    for (const d of defs) {
      const policy = {
        name: d.name,
        retryLimit: d.retry.limit,
        retryDelay: d.retry.delaySeconds,
        retryBackoff: d.retry.backoff,
        expireInSeconds:
          typeof d.expireInSeconds === 'number'
            ? d.expireInSeconds
            : d.expireInSeconds(opts.config ?? loadConfig({})),
      };
      await boss.createQueue(d.name, policy);
      await boss.updateQueue(d.name, policy); // a queue made by an older release keeps no stale policy
    }
    return new JobQueue(boss, new Map(defs.map((d) => [d.name, d])), opts.log);
  }

  definition(name: string): JobDefinition {
    const d = this.defs.get(name);
    if (!d) {
      throw new AppError('not_found', `unknown agent "${name}"; known: ${[...this.defs.keys()].join(', ')}`);
    }
    return d;
  }

  /** Queues a run; a job with a payload (JobPayloads) must be given one of its type. */
  async enqueue<N extends string>(
    name: N,
    data: JobControl & (N extends keyof JobPayloads ? JobPayloads[N] : Record<string, unknown>),
  ): Promise<string> {
    this.definition(name);
    const id = await this.boss.send(name, data);
    if (!id) throw new AppError('conflict', `job ${name} was not queued`);
    return id;
  }

  /**
   * Consumes every queue; a failed run throws so pg-boss retries it per the job's policy. `afterRun`
   * sees every finished run (e.g. to raise an inbox task at once); its failure is logged, not thrown.
   */
  async work(deps: JobDeps, metrics: Metrics, opts: { afterRun?: AfterRun } = {}): Promise<void> {
    for (const def of this.defs.values()) {
      if (def.startWithWorker) {
        // one per worker start, not a singleton: a worker restarted right after a crash must not
        // find its run swallowed by the dead one's (such a job has to be safe to run concurrently)
        await this.boss.send(def.name, { trigger: 'schedule' } satisfies JobData);
      }
      await this.boss.work<JobData>(def.name, { pollingIntervalSeconds: 1 }, async ([job]) => {
        if (!job) return;
        const run = await runJob(def, deps, metrics, {
          dryRun: job.data?.dry_run ?? false,
          trigger: job.data?.trigger ?? 'api',
          jobId: job.id,
          data: job.data ?? {},
        });
        await opts
          .afterRun?.(run)
          .catch((err) => this.log.error({ err, agent: def.name }, 'after-run hook failed'));
        // throwing makes pg-boss retry; a failure no retry can fix is recorded as the job's output instead
        if (run.status === 'failed' && run.retryable) throw new Error(run.error ?? 'run failed');
        return {
          run_id: run.run_id,
          status: run.status,
          counts: run.counts,
          error: run.error,
          result: run.result,
        };
      });
    }
  }

  /** Makes pg-boss's schedules match the registry: add/update ours, drop ones no longer defined. */
  async syncSchedules(schedules: Map<string, string>): Promise<void> {
    const existing = await this.boss.getSchedules();
    for (const s of existing) {
      if (!schedules.has(s.name)) await this.boss.unschedule(s.name);
    }
    for (const [name, cron] of schedules) {
      await this.boss.schedule(name, cron, { trigger: 'schedule' } satisfies JobData, { tz: 'UTC' });
      this.log.info({ agent: name, cron }, 'scheduled');
    }
  }

  /** Job state by id, whatever its queue (pg-boss keeps finished jobs in its archive for a while). */
  async status(id: string): Promise<JobStatus | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const db = this.boss.getDb();
    for (const table of ['job', 'archive']) {
      const { rows } = await db.executeSql(
        `SELECT id, name, state, data, output, retry_count, created_on, started_on, completed_on
         FROM ${SCHEMA}.${table} WHERE id = $1`,
        [id],
      );
      const r = rows[0];
      if (r) {
        const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
        return {
          id: r.id,
          name: r.name,
          state: r.state,
          data: r.data,
          output: r.output,
          retry_count: r.retry_count,
          created_on: iso(r.created_on)!,
          started_on: iso(r.started_on),
          completed_on: iso(r.completed_on),
        };
      }
    }
    return undefined;
  }

  /** Queue depth by state, for /metrics. */
  async counts(): Promise<{ name: string; state: string; n: number }[]> {
    const { rows } = await this.boss
      .getDb()
      .executeSql(`SELECT name, state, count(*)::int AS n FROM ${SCHEMA}.job GROUP BY name, state`, []);
    return rows;
  }

  async stop(timeoutMs: number): Promise<void> {
    await this.boss.stop({ graceful: true, timeout: timeoutMs, wait: true });
  }
}
