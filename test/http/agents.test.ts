import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maintenanceJob } from '../../src/domains/maintenance/maintenance.job.ts';
import { buildServer } from '../../src/http/server.ts';
import { runJob } from '../../src/platform/jobs/index.ts';
import { Metrics } from '../../src/platform/metrics.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
let viewer: string;

beforeAll(async () => {
  t = await createTestApp();
  viewer = await t.bearer('viewer');
});

afterAll(async () => {
  await t.close();
});

describe('agents API', () => {
  it('lists agents with their schedules', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/agents',
      headers: { authorization: viewer },
    });
    expect(res.json().items).toContainEqual({
      name: 'maintenance',
      description: expect.any(String),
      schedule: '30 3 * * *',
    });
  });

  it('lists recent runs newest first with filters and pagination', async () => {
    const deps = { ...t.deps };
    for (const dryRun of [true, false, true]) await runJob(maintenanceJob, deps, new Metrics(), { dryRun });
    const all = await t.app.inject({
      method: 'GET',
      url: '/api/v1/agents/runs?agent=maintenance&page_size=2',
      headers: { authorization: viewer },
    });
    expect(all.statusCode).toBe(200);
    const body = all.json();
    expect(body).toMatchObject({ total: 3, page: 1, page_size: 2 });
    expect(body.items).toHaveLength(2);
    expect(body.items[0]).toMatchObject({ agent: 'maintenance', status: 'success', dry_run: true });
    expect(body.items[0].counts.tables_checked).toBeGreaterThan(0);
    expect(Date.parse(body.items[0].started_at)).toBeGreaterThanOrEqual(Date.parse(body.items[1].started_at));
    const page2 = await t.app.inject({
      method: 'GET',
      url: '/api/v1/agents/runs?agent=maintenance&page_size=2&page=2',
      headers: { authorization: viewer },
    });
    expect(page2.json().items).toHaveLength(1);
    const ids = [...body.items, ...page2.json().items].map((r: { run_id: string }) => r.run_id);
    expect(new Set(ids).size).toBe(3);
    const failed = await t.app.inject({
      method: 'GET',
      url: '/api/v1/agents/runs?status=failed',
      headers: { authorization: viewer },
    });
    expect(failed.json()).toMatchObject({ total: 0, items: [] });
  });

  it('queues a run (admin) and shows the job state by id', async () => {
    const admin = await t.bearer('admin');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agents/maintenance/run',
      headers: { authorization: admin },
      payload: {},
    });
    expect(res.statusCode).toBe(202);
    const { job_id } = res.json();
    const job = await t.app.inject({
      method: 'GET',
      url: `/api/v1/jobs/${job_id}`,
      headers: { authorization: viewer },
    });
    expect(job.statusCode).toBe(200);
    // no worker runs in this test: the job waits in the queue
    expect(job.json()).toMatchObject({
      id: job_id,
      name: 'maintenance',
      status: 'queued',
      queue_state: 'created',
      runs: [],
    });
    expect(job.json().data).toMatchObject({ dry_run: false, trigger: 'api' });
  });

  it('404 for an unknown agent or job, 400 for a bad body', async () => {
    const admin = await t.bearer('admin');
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agents/nosuch/run',
      headers: { authorization: admin },
      payload: {},
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.message).toContain('maintenance');
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agents/maintenance/run',
      headers: { authorization: admin },
      payload: { dry_run: 'maybe' },
    });
    expect(bad.statusCode).toBe(400);
    const job = await t.app.inject({
      method: 'GET',
      url: '/api/v1/jobs/not-a-job',
      headers: { authorization: viewer },
    });
    expect(job.statusCode).toBe(404);
  });
});

describe('roles without the API', () => {
  it('a worker-only server answers probes and metrics but not /api', async () => {
    const app = await buildServer(t.deps, { api: false });
    try {
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
      expect(
        (await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: viewer } }))
          .statusCode,
      ).toBe(404);
    } finally {
      await app.close();
    }
  });
});

describe('database down', () => {
  it('/health is 503 when the database is down', async () => {
    const own = await createTestApp();
    try {
      const pg = await import('pg');
      const admin = new pg.default.Client({
        connectionString: (await import('../helpers/db.ts')).adminUrl(),
      });
      await admin.connect();
      await admin.query(`DROP DATABASE ${own.tdb.name} WITH (FORCE)`);
      await admin.end();
      const res = await own.app.inject({ method: 'GET', url: '/health' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ status: 'down', checks: { db: 'down', storage: 'ok' } });
    } finally {
      await own.close().catch(() => {});
    }
  });
});
