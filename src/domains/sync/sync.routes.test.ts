import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeReportsEnv } from '../../../test/fakes/spapi-reports.ts';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { runJob } from '../../platform/jobs/index.ts';
import { Metrics } from '../../platform/metrics.ts';
import { syncTypeInput } from './catalogue.ts';
import { createSyncJob, syncJob } from './sync.job.ts';
import { runSync } from './sync.service.ts';
import { type SyncWorld, syncWorld } from './testkit.ts';

let t: TestApp;
let world: SyncWorld;

beforeAll(async () => {
  t = await createTestApp();
  world = await syncWorld(t.tdb, { start: new Date().toISOString() });
});
afterAll(async () => {
  await world?.api.close();
  await t?.close();
});

describe('GET /api/v1/sync', () => {
  it('shows per type and marketplace the last window, success, next run, error and rows', async () => {
    world.api.script('GET_FBA_REIMBURSEMENTS_DATA', { end: 'FATAL' });
    await runSync(world.worker(), {
      types: ['ledger', 'listings', 'reimbursements'].map(syncTypeInput),
      force: true,
    });
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/sync',
      headers: { authorization: await t.bearer('viewer') },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.configured).toBe(false); // this app's own config has no SP-API credentials
    expect(body.types).toHaveLength(7);
    const ledger = body.items.find((i: { name: string }) => i.name === 'ledger');
    expect(ledger).toMatchObject({
      marketplace: 'US',
      fresh: true,
      last_error: null,
      last_report_status: 'loaded',
    });
    expect(ledger.rows_loaded).toBe(270);
    expect(ledger.last_window.end).toBe(ledger.data_to);
    const reimb = body.items.find((i: { name: string }) => i.name === 'reimbursements');
    expect(reimb).toMatchObject({ fresh: false, last_report_status: 'fatal', last_success_at: null });
    expect(reimb.last_error).toMatch(/^GET_FBA_REIMBURSEMENTS_DATA US report \d+: FATAL: /);
    expect(body.items.map((i: { name: string }) => i.name)).toEqual(['listings', 'reimbursements', 'ledger']);
  });

  it('needs a token', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/sync' })).statusCode).toBe(401);
  });
});

describe('the sync job', () => {
  it('records a skipped run without SP-API credentials', async () => {
    const run = await runJob(syncJob, { ...world.jobDeps, config: t.deps.config }, new Metrics(), {});
    expect(run.status).toBe('skipped');
    expect(run.reason).toBe(
      'SP-API is not configured (set SP_API_CLIENT_ID, SP_API_CLIENT_SECRET, SP_API_REFRESH_TOKEN)',
    );
  });

  it('runs what is due and counts what it loaded', async () => {
    const deps = world.jobDeps;
    expect(fakeReportsEnv(world.api).SP_API_BASE_URL).toBe(deps.config.SP_API_BASE_URL);
    const job = createSyncJob({ clock: world.time.clock, sleep: world.time.sleep });
    const run = await runJob(job, deps, new Metrics(), { data: { types: ['inventory'] } });
    expect(run.status, run.error ?? '').toBe('success');
    expect(run.counts).toMatchObject({ reports_loaded: 1, failed: 0, rows: 2 });
  });
});
