import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { insertAgentRun, tasksOfType } from '../../../test/factories/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import type { Clock } from '../../platform/clock.ts';
import type { RunRecord } from '../../platform/jobs/index.ts';
import { silentLogger } from '../../platform/logger.ts';
import { afterAgentRun } from './agents.hook.ts';

// The worker's after-run hook: agent_failed raised and resolved by the run itself, not the next
// quarter-hour evaluation.

let tdb: TestDatabase;
const now = new Date('2031-05-10T12:00:00Z');
const clock: Clock = { now: () => new Date(now) };
const hook = () => afterAgentRun({ db: tdb.db, clock, log: silentLogger });

function record(agent: string, status: RunRecord['status'], dry_run = false): RunRecord {
  return {
    agent,
    run_id: '00000000-0000-4000-8000-000000000000',
    status,
    dry_run,
    trigger: 'schedule',
    job_id: null,
    counts: {},
    reason: null,
    error: null,
    started_at: now.toISOString(),
    finished_at: now.toISOString(),
    duration_ms: 1,
  };
}

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});
beforeEach(async () => {
  await tdb.db.pool.query('TRUNCATE tasks, task_events, agent_runs CASCADE');
});

describe('afterAgentRun', () => {
  it('raises agent_failed when a run fails and resolves it when the next run succeeds', async () => {
    await insertAgentRun(tdb.db, {
      agent: 'keepa',
      started_at: new Date(now.getTime() - 60_000),
      status: 'failed',
      error: 'Keepa answered 402',
    });
    await hook()(record('keepa', 'failed'));
    expect(await tasksOfType(tdb.db, 'agent_failed')).toMatchObject([
      { state: 'open', severity: 'critical', dedup_key: 'agent_failed:keepa' },
    ]);

    await insertAgentRun(tdb.db, { agent: 'keepa', started_at: now, status: 'success' });
    await hook()(record('keepa', 'success'));
    expect(await tasksOfType(tdb.db, 'agent_failed')).toMatchObject([{ state: 'resolved' }]);
  });

  it('does not evaluate for a success with nothing to resolve, a dry run or a run still going', async () => {
    // a failed run on record that only an evaluation would turn into a task
    await insertAgentRun(tdb.db, { agent: 'fees', started_at: now, status: 'failed', error: 'boom' });
    await hook()(record('keepa', 'success'));
    await hook()(record('fees', 'failed', true));
    await hook()(record('fees', 'running'));
    expect(await tasksOfType(tdb.db, 'agent_failed')).toEqual([]);
  });

  it('raises it for a tripped circuit breaker too', async () => {
    await insertAgentRun(tdb.db, {
      agent: 'repricer',
      started_at: now,
      status: 'tripped',
      reason: 'circuit breaker',
    });
    await hook()(record('repricer', 'tripped'));
    expect(await tasksOfType(tdb.db, 'agent_failed')).toMatchObject([
      { state: 'open', dedup_key: 'agent_failed:repricer' },
    ]);
  });
});
