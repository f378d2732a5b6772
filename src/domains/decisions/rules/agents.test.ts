import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { insertAgentRun } from '../../../../test/factories/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/db.ts';
import type { Clock } from '../../../platform/clock.ts';
import { evaluate } from '../engine.service.ts';
import { getTask } from '../tasks.service.ts';

// agent_failed and agent_overdue against agent_runs rows placed relative to an injected clock.

const HOUR = 3_600_000;
let tdb: TestDatabase;
let now = new Date('2031-05-10T12:00:00Z');
const clock: Clock = { now: () => new Date(now) };
const deps = () => ({ db: tdb.db, clock });
const ago = (hours: number) => new Date(now.getTime() - hours * HOUR);

const failed = { types: ['agent_failed'] as const };
const tasksOf = async (type: string) =>
  (
    await tdb.db.pool.query(
      `SELECT id::int, state, severity, title, dedup_key FROM tasks WHERE type = $1 ORDER BY id`,
      [type],
    )
  ).rows;

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});
beforeEach(async () => {
  await tdb.db.pool.query('TRUNCATE tasks, task_events, agent_runs CASCADE');
  now = new Date('2031-05-10T12:00:00Z');
});

describe('agent_failed', () => {
  it('raises a critical task for a failed newest run and resolves it after a later success', async () => {
    await insertAgentRun(tdb.db, { agent: 'keepa', started_at: ago(30), status: 'success' });
    const run = await insertAgentRun(tdb.db, {
      agent: 'keepa',
      started_at: ago(2),
      status: 'failed',
      error: 'Keepa answered 402: not enough tokens',
    });
    await insertAgentRun(tdb.db, { agent: 'fees', started_at: ago(2), status: 'success' });

    expect(await evaluate(deps(), failed)).toMatchObject({ created: 1 });
    const [row] = await tasksOf('agent_failed');
    const task = await getTask(deps(), row.id);
    expect(task).toMatchObject({
      state: 'open',
      severity: 'critical',
      title: 'Agent keepa failed',
      dedup_key: 'agent_failed:keepa',
      links: { agent: 'keepa', run_id: run.id },
      action: { default: { kind: 'open', params: { page: 'agents', agent: 'keepa' } }, alternatives: [] },
    });
    expect(task.why).toEqual([
      {
        code: 'agent_failed',
        message: 'Keepa answered 402: not enough tokens',
        metric: 'status',
        value: 'failed',
        threshold: null,
      },
    ]);

    // nothing changed: nothing created, updated or resolved
    expect(await evaluate(deps(), failed)).toMatchObject({ created: 0, updated: 0, resolved: 0 });

    // a run still going and a dry run that succeeded do not clear it
    await insertAgentRun(tdb.db, { agent: 'keepa', started_at: ago(1), status: 'success', dry_run: true });
    await insertAgentRun(tdb.db, { agent: 'keepa', started_at: ago(0.5), status: 'running' });
    expect(await evaluate(deps(), failed)).toMatchObject({ created: 0, updated: 0, resolved: 0 });

    now = new Date(now.getTime() + HOUR);
    await insertAgentRun(tdb.db, { agent: 'keepa', started_at: ago(0.2), status: 'success' });
    expect(await evaluate(deps(), failed)).toMatchObject({ resolved: 1, created: 0 });
    expect((await getTask(deps(), row.id)).state).toBe('resolved');
  });

  it('names a tripped circuit breaker with its reason', async () => {
    await insertAgentRun(tdb.db, {
      agent: 'repricer',
      started_at: ago(1),
      status: 'tripped',
      reason: '31 % of listings would drop more than 20 %',
    });
    await evaluate(deps(), failed);
    const [row] = await tasksOf('agent_failed');
    const task = await getTask(deps(), row.id);
    expect(task).toMatchObject({ severity: 'critical', title: 'Agent repricer: circuit breaker tripped' });
    expect(task.why[0]).toMatchObject({
      message: '31 % of listings would drop more than 20 %',
      value: 'tripped',
    });
  });

  it('raises nothing for a failed dry run or a failure followed by a success', async () => {
    await insertAgentRun(tdb.db, { agent: 'restock', started_at: ago(3), status: 'failed', dry_run: true });
    await insertAgentRun(tdb.db, { agent: 'fees', started_at: ago(3), status: 'failed', error: 'boom' });
    await insertAgentRun(tdb.db, { agent: 'fees', started_at: ago(2), status: 'success' });
    expect(await evaluate(deps(), failed)).toMatchObject({ created: 0 });
  });
});

describe('agent_overdue', () => {
  const schedules = [
    { agent: 'keepa', interval_s: 3600 },
    { agent: 'restock', interval_s: 7 * 86_400 },
  ];
  const overdue = { types: ['agent_overdue'] as const, schedules };

  it('raises a warning when no scheduled run started for twice the interval, and resolves on the next run', async () => {
    await insertAgentRun(tdb.db, { agent: 'keepa', started_at: ago(3), trigger: 'schedule' });
    await insertAgentRun(tdb.db, { agent: 'restock', started_at: ago(24), trigger: 'schedule' });

    expect(await evaluate(deps(), overdue)).toMatchObject({ created: 1 });
    const [row] = await tasksOf('agent_overdue');
    const task = await getTask(deps(), row.id);
    expect(task).toMatchObject({
      state: 'open',
      severity: 'warning',
      title: 'Agent keepa is overdue',
      dedup_key: 'agent_overdue:keepa',
      links: { agent: 'keepa' },
      action: { default: { kind: 'open', params: { page: 'agents', agent: 'keepa' } } },
    });
    expect(task.why).toEqual([
      {
        code: 'agent_overdue',
        message: 'no scheduled run for 3 h (every 1 h)',
        metric: 'hours_since_run',
        value: 3,
        threshold: 2,
      },
    ]);
    expect(Date.parse((task.details as { last_run_at: string }).last_run_at)).toBe(ago(3).getTime());

    expect(await evaluate(deps(), overdue)).toMatchObject({ created: 0, updated: 0, resolved: 0 });

    await insertAgentRun(tdb.db, { agent: 'keepa', started_at: ago(0.1), trigger: 'schedule' });
    expect(await evaluate(deps(), overdue)).toMatchObject({ resolved: 1, created: 0 });
  });

  it('raises nothing just inside twice the interval', async () => {
    await insertAgentRun(tdb.db, { agent: 'keepa', started_at: ago(1.99), trigger: 'schedule' });
    expect(await evaluate(deps(), overdue)).toMatchObject({ created: 0 });
  });

  it('leaves out agents never run by the scheduler, and agents without a schedule', async () => {
    await insertAgentRun(tdb.db, { agent: 'keepa', started_at: ago(50), trigger: 'manual' });
    await insertAgentRun(tdb.db, { agent: 'logistics', started_at: ago(500), trigger: 'schedule' });
    expect(await evaluate(deps(), overdue)).toMatchObject({ created: 0 });
    expect(await evaluate(deps(), { types: ['agent_overdue'] })).toMatchObject({ created: 0 });
  });

  it('counts only scheduled runs: a manual run does not show the scheduler is alive', async () => {
    await insertAgentRun(tdb.db, { agent: 'keepa', started_at: ago(5), trigger: 'schedule' });
    await insertAgentRun(tdb.db, { agent: 'keepa', started_at: ago(0.5), trigger: 'manual' });
    expect(await evaluate(deps(), overdue)).toMatchObject({ created: 1 });
    const [row] = await tasksOf('agent_overdue');
    expect((await getTask(deps(), row.id)).why[0]).toMatchObject({ value: 5 });
  });
});
