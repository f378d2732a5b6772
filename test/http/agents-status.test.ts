import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';

// GET /agents/status: each agent's schedule, newest run and whether it missed its schedule, decided
// on the server against the injected clock; POST /agents/{name}/run leaves an audit entry.
let t: TestApp;
let viewer: string;
let now = 0;
const H = 3_600_000;

interface State {
  name: string;
  schedule: string | null;
  interval_ms: number | null;
  runnable: boolean;
  stale: boolean;
  stale_since: string | null;
  failed: boolean;
  last_success_at: string | null;
  next_due_at: string | null;
  last_run: null | {
    status: string;
    error: string | null;
    counts: Record<string, unknown>;
    duration_ms: number | null;
    dry_run: boolean;
  };
}

async function run(
  agent: string,
  status: string,
  startedAgoMs: number,
  o: { dryRun?: boolean; error?: string; counts?: object } = {},
) {
  const started = new Date(now - startedAgoMs);
  await t.tdb.db.pool.query(
    `INSERT INTO agent_runs (agent, status, dry_run, trigger, counts, error, started_at, finished_at, duration_ms)
     VALUES ($1, $2, $3, 'schedule', $4, $5, $6, $6::timestamptz + interval '2 seconds', 2000)`,
    [agent, status, o.dryRun ?? false, JSON.stringify(o.counts ?? {}), o.error ?? null, started],
  );
}

async function states(): Promise<Map<string, State>> {
  const res = await t.app.inject({
    method: 'GET',
    url: '/api/v1/agents/status',
    headers: { authorization: viewer },
  });
  expect(res.statusCode, res.body).toBe(200);
  return new Map((res.json().items as State[]).map((s) => [s.name, s]));
}

beforeAll(async () => {
  t = await createTestApp({ clock: { now: () => new Date(now) } });
  viewer = await t.bearer('viewer');
});
afterAll(async () => {
  await t.close();
});
beforeEach(async () => {
  await t.tdb.db.pool.query('TRUNCATE agent_runs');
  // "now" just after this database was set up: a fresh installation owes no runs yet (the alerts
  // dispatcher runs every minute, so after two minutes without a run it would be owed one)
  const { rows } = await t.tdb.db.pool.query<{ at: Date }>(
    'SELECT min(applied_at) AS at FROM schema_migrations',
  );
  now = rows[0]!.at.getTime() + 90_000;
});

describe('GET /agents/status', () => {
  it('a fresh installation: every agent listed, nothing stale, scheduled ones runnable', async () => {
    const s = await states();
    const keepa = s.get('keepa')!;
    expect(keepa).toMatchObject({
      schedule: '0 * * * *',
      interval_ms: H,
      runnable: true,
      stale: false,
      failed: false,
      last_run: null,
      last_success_at: null,
    });
    expect(Date.parse(keepa.next_due_at!)).toBeGreaterThan(now);
    expect(s.get('report_ingest')).toMatchObject({ schedule: null, runnable: false, stale: false });
    expect([...s.values()].some((a) => a.stale)).toBe(false);
  });

  it('flags an agent whose last real success is older than twice its interval', async () => {
    await run('keepa', 'success', 5 * H, { counts: { asins: 12 } });
    await run('maintenance', 'success', 3 * H);
    const s = await states();
    const keepa = s.get('keepa')!;
    expect(keepa.stale).toBe(true);
    // stale from two hourly intervals after the success that finished 2 s after it started
    expect(Date.parse(keepa.stale_since!)).toBe(now - 5 * H + 2000 + 2 * H);
    expect(keepa.last_run).toMatchObject({ status: 'success', counts: { asins: 12 }, duration_ms: 2000 });
    // daily: three hours is within its schedule
    expect(s.get('maintenance')).toMatchObject({ stale: false, stale_since: null });

    // the same run, seen one hour after it: fine
    now -= 4 * H;
    await t.tdb.db.pool.query('TRUNCATE agent_runs');
    await run('keepa', 'success', H);
    expect((await states()).get('keepa')).toMatchObject({ stale: false });
  });

  it('a dry run does not keep an agent fresh, and the newest failure is shown with its error', async () => {
    await run('keepa', 'success', 5 * H);
    await run('keepa', 'success', 30 * 60_000, { dryRun: true });
    await run('keepa', 'failed', 10 * 60_000, { error: 'Keepa answered 402: no tokens left' });
    const keepa = (await states()).get('keepa')!;
    expect(keepa).toMatchObject({ stale: true, failed: true });
    expect(keepa.last_run).toMatchObject({ status: 'failed', error: 'Keepa answered 402: no tokens left' });
  });
});

describe('GET /agents/runs.csv', () => {
  it('downloads every run the filter matches, newest first, formula-safe, counts as one JSON cell', async () => {
    await run('keepa', 'success', 3 * H, { counts: { asins: 100 } });
    await run('keepa', 'failed', 2 * H, { error: '=HYPERLINK("x") from Keepa' });
    await run('fees', 'success', H);
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/agents/runs.csv?agent=keepa',
      headers: { authorization: viewer },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/awa-agent-runs-\d{4}-\d{2}-\d{2}\.csv/);
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(
      'agent,run_id,status,dry_run,trigger,job_id,started_at,finished_at,duration_ms,reason,error,counts',
    );
    expect(lines).toHaveLength(3); // the header and keepa's two runs; fees is filtered out
    expect(lines[1]).toMatch(/^keepa,[0-9a-f-]{36},failed,false,schedule,/);
    expect(lines[1]).toContain(`'=HYPERLINK(""x"") from Keepa`);
    expect(lines[2]).toContain('"{""asins"":100}"');
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/v1/agents/runs.csv?status=exploded',
      headers: { authorization: viewer },
    });
    expect(bad.statusCode).toBe(400);
  });
});

describe('POST /agents/{name}/run', () => {
  it('records who ran which agent, in which mode, in the audit log; a viewer is refused', async () => {
    const admin = await t.bearer('admin', `admin-status-${process.pid}`);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agents/maintenance/run',
      headers: { authorization: admin },
      payload: { dry_run: true },
    });
    expect(res.statusCode, res.body).toBe(202);
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/agents/maintenance/run',
      headers: { authorization: viewer },
      payload: { dry_run: true },
    });
    expect(refused.statusCode).toBe(403);
    await expect
      .poll(
        async () =>
          (
            await t.tdb.db.pool.query(
              `SELECT actor, event, details FROM audit_log WHERE event = 'agent_run' ORDER BY id`,
            )
          ).rows,
        { timeout: 5000 },
      )
      .toEqual([
        {
          actor: `admin-status-${process.pid}`,
          event: 'agent_run',
          details: { agent: 'maintenance', dry_run: true, job_id: res.json().job_id },
        },
      ]);
  });
});
