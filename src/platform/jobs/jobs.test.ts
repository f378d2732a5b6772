import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { testJobDeps } from '../../../test/helpers/deps.ts';
import { AppError } from '../errors.ts';
import { silentLogger } from '../logger.ts';
import { Metrics } from '../metrics.ts';
import { JobQueue, listRuns, runJob, withPayload } from './index.ts';
import type { JobDefinition, JobDeps } from './types.ts';

let tdb: TestDatabase;
let deps: JobDeps;

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = testJobDeps(tdb, { clock: '2026-11-28T10:00:00Z' });
});

afterAll(async () => {
  await tdb.drop();
});

function job(name: string, handler: JobDefinition['handler'], limit = 0): JobDefinition {
  return {
    name,
    description: name,
    retry: { limit, delaySeconds: 0, backoff: false },
    expireInSeconds: 60,
    handler,
  };
}

async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('runJob', () => {
  it('records a successful run with counts, status and metrics', async () => {
    const metrics = new Metrics();
    const run = await runJob(
      job('counter', async (ctx) => ({ counts: { seen: 3, dry: ctx.dryRun ? 1 : 0 } })),
      deps,
      metrics,
      { dryRun: true },
    );
    expect(run).toMatchObject({
      agent: 'counter',
      status: 'success',
      dry_run: true,
      counts: { seen: 3, dry: 1 },
    });
    expect(run.started_at).toBe('2026-11-28T10:00:00.000Z');
    const stored = await listRuns(tdb.db.pool, { agent: 'counter', limit: 10, offset: 0 });
    const { result: _result, retryable, ...record } = run;
    expect(retryable).toBe(true);
    expect(stored.runs).toEqual([record]);
    const text = await metrics.text();
    expect(text).toContain('awa_counter_runs_total{status="success"} 1');
    expect(text).toContain('awa_counter_duration_seconds_count{status="success"} 1');
  });

  it('exposes every status series at 0 before the first run (alerts see the first failure)', async () => {
    const metrics = new Metrics();
    metrics.agent('fresh');
    const text = await metrics.text();
    for (const status of ['success', 'failed', 'skipped', 'tripped']) {
      expect(text).toContain(`awa_fresh_runs_total{status="${status}"} 0`);
    }
  });

  it('turns a thrown error into a failed run and keeps the message', async () => {
    const metrics = new Metrics();
    const run = await runJob(
      job('breaks', async () => {
        throw new Error('upstream said no');
      }),
      deps,
      metrics,
    );
    expect(run).toMatchObject({ status: 'failed', error: 'upstream said no', dry_run: false });
    expect(await metrics.text()).toContain('awa_breaks_runs_total{status="failed"} 1');
  });

  it('keeps skipped and tripped outcomes with their reason', async () => {
    const m = new Metrics();
    const skipped = await runJob(
      job('unconfigured', async () => ({ status: 'skipped', reason: 'not_configured' })),
      deps,
      m,
    );
    expect(skipped).toMatchObject({ status: 'skipped', reason: 'not_configured' });
    const tripped = await runJob(
      job('guarded', async () => ({ status: 'tripped', reason: 'breaker' })),
      deps,
      m,
    );
    expect(tripped.status).toBe('tripped');
  });

  it("checks a payload against the job's schema before the handler runs: a bad one fails, unretried", async () => {
    const seen: unknown[] = [];
    const def = withPayload(
      Type.Object({ vendor: Type.String({ minLength: 1 }), force: Type.Optional(Type.Boolean()) }),
      {
        ...job('typed', async () => ({})),
        handler: async (ctx) => {
          seen.push(ctx.data.vendor);
          return {};
        },
      },
    );
    const ok = await runJob(def, deps, new Metrics(), { data: { vendor: 'Müller', dry_run: true } });
    expect(ok.status).toBe('success');
    const bad = await runJob(def, deps, new Metrics(), { data: { vendor: '', force: 'yes' } });
    expect(bad).toMatchObject({ status: 'failed', retryable: false });
    expect(bad.error).toMatch(/^typed: the queued payload does not fit: vendor .*; force /);
    expect(bad.result).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'force' })]));
    expect(seen).toEqual(['Müller']);
  });
});

describe('JobQueue (pg-boss)', () => {
  let queue: JobQueue;
  let calls = 0;
  // what the worker's after-run hook saw; it throws once to prove a failing hook does not fail the job
  const afterRuns: { agent: string; status: string; job_id: string | null }[] = [];
  const defs = [
    job('steady', async () => ({ counts: { done: 1 } })),
    // fails on its first attempt only: proves retries re-run the handler and are recorded
    job(
      'flaky',
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('first attempt fails');
        return { counts: { attempt: calls } };
      },
      2,
    ),
    // bad input: retrying cannot help, so it fails once and for good
    job(
      'picky',
      async () => {
        throw new AppError('invalid', 'line 3 is bad', { line: 3 });
      },
      2,
    ),
    job('echo', async (ctx) => {
      ctx.progress({ rows_read: 5 });
      return { counts: { got: Object.keys(ctx.data).length }, result: { data: ctx.data } };
    }),
    job(
      'hopeless',
      async () => {
        throw new Error('always fails');
      },
      1,
    ),
  ];

  beforeAll(async () => {
    queue = await JobQueue.open(tdb.url, defs, { worker: true, scheduler: false, log: silentLogger });
    await queue.work(deps, new Metrics(), {
      afterRun: async (run) => {
        afterRuns.push({ agent: run.agent, status: run.status, job_id: run.job_id });
        if (afterRuns.length === 1) throw new Error('hook broke');
      },
    });
  });

  afterAll(async () => {
    await queue.stop(5000);
  });

  it('rejects unknown job names', async () => {
    await expect(queue.enqueue('nope', {})).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('runs an enqueued job on the worker and links the run to the job id', async () => {
    const id = await queue.enqueue('steady', { dry_run: true, trigger: 'api' });
    const done = await waitFor(async () => {
      const s = await queue.status(id);
      return s?.state === 'completed' ? s : undefined;
    });
    expect(done.name).toBe('steady');
    const { runs } = await listRuns(tdb.db.pool, { jobId: id, limit: 10, offset: 0 });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'success', dry_run: true, trigger: 'api', counts: { done: 1 } });
  });

  it('retries a failed run per the retry policy', async () => {
    const id = await queue.enqueue('flaky', {});
    const done = await waitFor(async () => {
      const s = await queue.status(id);
      return s?.state === 'completed' ? s : undefined;
    });
    expect(done.retry_count).toBe(1);
    const { runs } = await listRuns(tdb.db.pool, { jobId: id, limit: 10, offset: 0 });
    expect(runs.map((r) => r.status).sort()).toEqual(['failed', 'success']);
  });

  it('gives up after the retry limit and marks the job failed', async () => {
    const id = await queue.enqueue('hopeless', {});
    const failed = await waitFor(async () => {
      const s = await queue.status(id);
      return s?.state === 'failed' ? s : undefined;
    });
    expect(failed.retry_count).toBe(1);
    const { runs } = await listRuns(tdb.db.pool, { jobId: id, limit: 10, offset: 0 });
    expect(runs).toHaveLength(2);
    expect(runs.every((r) => r.status === 'failed' && r.error === 'always fails')).toBe(true);
    // the after-run hook saw both attempts as they finished
    expect(afterRuns.filter((r) => r.job_id === id)).toEqual([
      { agent: 'hopeless', status: 'failed', job_id: id },
      { agent: 'hopeless', status: 'failed', job_id: id },
    ]);
  });

  it('does not retry a failure caused by the input, and keeps its details as the output', async () => {
    const id = await queue.enqueue('picky', {});
    const done = await waitFor(async () => {
      const s = await queue.status(id);
      return s?.state === 'completed' ? s : undefined;
    });
    expect(done.retry_count).toBe(0);
    expect(done.output).toMatchObject({ status: 'failed', error: 'line 3 is bad', result: { line: 3 } });
    const { runs } = await listRuns(tdb.db.pool, { jobId: id, limit: 10, offset: 0 });
    expect(runs.map((r) => r.status)).toEqual(['failed']);
  });

  it('hands the job payload to the handler and keeps its result', async () => {
    const id = await queue.enqueue('echo', { vendor: 'ACME', dry_run: true });
    const done = await waitFor(async () => {
      const s = await queue.status(id);
      return s?.state === 'completed' ? s : undefined;
    });
    expect(done.output).toMatchObject({
      status: 'success',
      result: { data: { vendor: 'ACME', dry_run: true } },
    });
    const { runs } = await listRuns(tdb.db.pool, { jobId: id, limit: 10, offset: 0 });
    expect(runs[0]).toMatchObject({ dry_run: true, counts: { got: 2 } });
  });

  it('reports unknown or malformed job ids as undefined', async () => {
    expect(await queue.status('00000000-0000-0000-0000-000000000000')).toBeUndefined();
    expect(await queue.status("x' OR 1=1 --")).toBeUndefined();
  });

  it('syncs schedules: adds ours and removes ones no longer defined', async () => {
    const sched = await JobQueue.open(tdb.url, defs, { worker: false, scheduler: true, log: silentLogger });
    try {
      await sched.syncSchedules(new Map([['steady', '*/5 * * * *']]));
      await sched.syncSchedules(new Map([['flaky', '0 4 * * *']]));
      const { rows } = await tdb.db.pool.query('SELECT name, cron FROM pgboss.schedule ORDER BY name');
      expect(rows).toEqual([{ name: 'flaky', cron: '0 4 * * *' }]);
    } finally {
      await sched.stop(1000);
    }
  });
});
