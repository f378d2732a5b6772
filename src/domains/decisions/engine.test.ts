import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { insertVendor, insertVendorPrice } from '../../../test/factories/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import type { Clock } from '../../platform/clock.ts';
import { evaluate } from './engine.service.ts';
import { getTask, transition } from './tasks.service.ts';

// The engine's life cycle on one rule with inputs that are easy to move (a vendor's price list
// ages with the clock): create, nothing changed, escalate, resolve, dismissal hold, reopen when
// worse, snooze and wake, dry run, and a rule evaluated alone leaves other types alone.

const DAY = 86_400_000;
let tdb: TestDatabase;
let now = new Date('2031-03-01T09:00:00Z');
const clock: Clock = { now: () => new Date(now) };
const deps = () => ({ db: tdb.db, clock });
const at = (days: number) => new Date(now.getTime() + days * DAY);

async function priceList(vendorId: number, createdAt: Date): Promise<number> {
  const { rows } = await tdb.db.pool.query(
    `INSERT INTO price_lists (vendor_id, file_name, sha256, status, created_at)
     VALUES ($1, 'list.csv', repeat('a', 64), 'success', $2) RETURNING id`,
    [vendorId, createdAt],
  );
  return Number(rows[0].id);
}

const stale = { types: ['stale_price_list'] as const };
const activeTasks = async () =>
  (
    await tdb.db.pool.query(
      `SELECT id::int, state, severity, title FROM tasks WHERE state IN ('open','snoozed') ORDER BY id`,
    )
  ).rows;

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});
beforeEach(async () => {
  await tdb.db.pool.query(
    'TRUNCATE tasks, task_events, price_lists, vendor_prices, vendors, agent_runs CASCADE',
  );
  now = new Date('2031-03-01T09:00:00Z');
});

describe('decisions engine', () => {
  it('creates a task once, changes nothing when nothing changed, escalates, and resolves when the condition clears', async () => {
    const v = await insertVendor(tdb.db, { name: 'Nordic Toys' });
    await insertVendorPrice(tdb.db, { vendor_id: v.id, sku: 'N-1' });
    await priceList(v.id, at(-40));

    const first = await evaluate(deps(), stale);
    expect(first).toMatchObject({ created: 1, updated: 0, resolved: 0 });
    const [task] = await activeTasks();
    expect(task).toMatchObject({
      state: 'open',
      severity: 'info',
      title: "Nordic Toys's price list is 40 days old",
    });
    const full = await getTask(deps(), task.id);
    expect(full.why).toEqual([
      expect.objectContaining({ code: 'stale_price_list', metric: 'age_days', value: 40, threshold: 30 }),
    ]);
    expect(full.links).toMatchObject({ vendor_id: v.id });
    expect(full.events.map((e) => e.kind)).toEqual(['created']);

    // nothing changed: nothing created, updated or resolved, no event
    const again = await evaluate(deps(), stale);
    expect(again).toMatchObject({ created: 0, updated: 0, escalated: 0, resolved: 0, reopened: 0 });
    expect((await getTask(deps(), task.id)).events).toHaveLength(1);

    // 65 days: the same task, now a warning, with an escalation event; its state untouched
    await transition(deps(), task.id, { to: 'snoozed', until: at(60).toISOString() }, 'ana');
    now = at(25);
    const worse = await evaluate(deps(), stale);
    expect(worse).toMatchObject({ created: 0, updated: 1, escalated: 1 });
    const escalated = await getTask(deps(), task.id);
    expect(escalated).toMatchObject({ state: 'snoozed', severity: 'warning' });
    expect(escalated.events.at(-1)).toMatchObject({
      kind: 'escalated',
      actor: 'engine',
      before: { severity: 'info' },
      after: { severity: 'warning' },
    });

    // a new price list: the condition cleared, the engine resolves it
    await priceList(v.id, at(-1));
    expect(await evaluate(deps(), stale)).toMatchObject({ resolved: 1, created: 0 });
    expect((await getTask(deps(), task.id)).state).toBe('resolved');
    expect(await activeTasks()).toEqual([]);
  });

  it('holds a dismissal for 7 days unless the severity rises, then reopens the same task', async () => {
    const start = now;
    const day = (n: number) => new Date(start.getTime() + n * DAY);
    const v = await insertVendor(tdb.db);
    await insertVendorPrice(tdb.db, { vendor_id: v.id });
    await priceList(v.id, day(-58));
    await evaluate(deps(), stale);
    const [task] = await activeTasks();
    await transition(deps(), task.id, { to: 'dismissed', note: 'waiting for their new catalogue' }, 'ana');

    now = day(1); // 59 days: still info, held
    expect(await evaluate(deps(), stale)).toMatchObject({ created: 0, reopened: 0 });
    expect(await activeTasks()).toEqual([]);

    now = day(3); // 61 days: a warning within the hold: the dismissed task reopens
    expect(await evaluate(deps(), stale)).toMatchObject({ created: 0, reopened: 1 });
    const reopened = await getTask(deps(), task.id);
    expect(reopened).toMatchObject({ state: 'open', severity: 'warning' });
    expect(reopened.events.map((e) => [e.kind, e.actor])).toEqual([
      ['created', 'engine'],
      ['transition', 'ana'],
      ['reopened', 'engine'],
    ]);
    expect(reopened.events[1]).toMatchObject({
      note: 'waiting for their new catalogue',
      after: { state: 'dismissed' },
    });
  });

  it('raises the task again once the hold has passed', async () => {
    const v = await insertVendor(tdb.db);
    await insertVendorPrice(tdb.db, { vendor_id: v.id });
    await priceList(v.id, at(-31));
    await evaluate(deps(), stale);
    const [task] = await activeTasks();
    await transition(deps(), task.id, { to: 'done' }, 'ana');
    now = at(8);
    expect(await evaluate(deps(), stale)).toMatchObject({ created: 1 });
    const [next] = await activeTasks();
    expect(next.id).not.toBe(task.id);
  });

  it('wakes a snoozed task when its time comes', async () => {
    const v = await insertVendor(tdb.db);
    await insertVendorPrice(tdb.db, { vendor_id: v.id });
    await priceList(v.id, at(-31));
    await evaluate(deps(), stale);
    const [task] = await activeTasks();
    await transition(deps(), task.id, { to: 'snoozed', until: at(1).toISOString() }, 'ana');
    expect(await evaluate(deps(), stale)).toMatchObject({ woke: 0 });
    now = at(2);
    expect(await evaluate(deps(), stale)).toMatchObject({ woke: 1, created: 0 });
    const woke = await getTask(deps(), task.id);
    expect(woke).toMatchObject({ state: 'open', snoozed_until: null });
    expect(woke.events.at(-1)).toMatchObject({ kind: 'woke', actor: 'engine' });
  });

  it('does all of it and keeps nothing on a dry run', async () => {
    const v = await insertVendor(tdb.db);
    await insertVendorPrice(tdb.db, { vendor_id: v.id });
    await priceList(v.id, at(-45));
    const dry = await evaluate(deps(), { ...stale, dryRun: true });
    expect(dry).toMatchObject({ created: 1, dry_run: true });
    expect(await activeTasks()).toEqual([]);
    expect(await evaluate(deps(), stale)).toMatchObject({ created: 1, dry_run: false });
  });

  it('leaves the tasks of rules it did not evaluate alone, and resolves a disabled rule', async () => {
    const v = await insertVendor(tdb.db);
    await insertVendorPrice(tdb.db, { vendor_id: v.id });
    await priceList(v.id, at(-45));
    await evaluate(deps(), stale);
    expect(await evaluate(deps(), { types: ['agent_failed'] })).toMatchObject({ resolved: 0 });
    expect(await activeTasks()).toHaveLength(1);

    await tdb.db.pool.query(
      `INSERT INTO task_thresholds VALUES ('stale_price_list.enabled', 0, now(), 'admin')`,
    );
    expect(await evaluate(deps(), stale)).toMatchObject({ resolved: 1 });
    expect(await activeTasks()).toEqual([]);
  });
});
