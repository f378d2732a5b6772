import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { insertLedgerShipments, insertSkuReturn } from '../../../../test/factories/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/db.ts';
import type { Clock } from '../../../platform/clock.ts';
import { evaluate } from '../engine.service.ts';
import { getTask } from '../tasks.service.ts';

// returns_spike: a SKU's 30-day returns per unit shipped against max(5 %, 1.5 × its trailing rate),
// with at least 3 returned and 25 shipped.

const DAY = 86_400_000;
let tdb: TestDatabase;
let now = new Date('2031-08-20T12:00:00Z');
const clock: Clock = { now: () => new Date(now) };
const deps = () => ({ db: tdb.db, clock });
const ago = (days: number) => new Date(now.getTime() - days * DAY);
const day = (daysAgo: number) => ago(daysAgo).toISOString().slice(0, 10);
const spike = { types: ['returns_spike'] as const };

const tasks = async () =>
  (
    await tdb.db.pool.query(
      `SELECT id::int, state, severity, title, sku FROM tasks WHERE type = 'returns_spike' ORDER BY sku`,
    )
  ).rows;

/**
 * A SKU with `shipped30` units shipped and `returned30` returned in the last 30 days, and
 * `shipped90`/`returned90` in the 90 days before.
 */
async function sku(
  name: string,
  s: { shipped30: number; returned30: number; shipped90?: number; returned90?: number },
): Promise<void> {
  const days: Record<string, number> = { [day(5)]: s.shipped30 };
  if (s.shipped90) days[day(60)] = s.shipped90;
  await insertLedgerShipments(tdb.db, { sku: name, asin: `B00${name.padStart(7, '0')}`, days });
  for (let i = 0; i < s.returned30; i++) {
    await insertSkuReturn(tdb.db, {
      sku: name,
      asin: `B00${name.padStart(7, '0')}`,
      return_date: ago(2 + i),
    });
  }
  for (let i = 0; i < (s.returned90 ?? 0); i++) {
    await insertSkuReturn(tdb.db, { sku: name, return_date: ago(40 + i) });
  }
}

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});
beforeEach(async () => {
  await tdb.db.pool.query('TRUNCATE tasks, task_events, returns_raw, inventory_ledger_raw CASCADE');
  now = new Date('2031-08-20T12:00:00Z');
});

describe('returns_spike', () => {
  it('raises a warning above 5 % with enough returns and shipments, and resolves when the rate falls', async () => {
    await sku('RS1', { shipped30: 50, returned30: 3, shipped90: 100, returned90: 2 });

    expect(await evaluate(deps(), spike)).toMatchObject({ created: 1 });
    const [row] = await tasks();
    const task = await getTask(deps(), row.id);
    expect(task).toMatchObject({
      state: 'open',
      severity: 'warning',
      title: 'Returns spike on RS1: 6 %',
      dedup_key: 'returns_spike:DE:RS1',
      sku: 'RS1',
      asin: 'B000000RS1',
      links: { sku: 'RS1', asin: 'B000000RS1' },
      action: { default: { kind: 'open', params: { page: 'sku', asin: 'B000000RS1' } } },
      details: { returned_30d: 3, shipped_30d: 50, returned_90d: 2, shipped_90d: 100, rate_90d: 2 },
    });
    expect(task.why).toEqual([
      {
        code: 'returns_rate',
        message: '3 returned of 50 shipped in 30 days: 6 % > 5 %',
        metric: 'returns_rate_pct',
        value: 6,
        threshold: 5,
      },
    ]);

    expect(await evaluate(deps(), spike)).toMatchObject({ created: 0, updated: 0, resolved: 0 });

    // 50 more units shipped: 3 of 100 is 3 %
    await insertLedgerShipments(tdb.db, { sku: 'RS1', days: { [day(1)]: 50 } });
    expect(await evaluate(deps(), spike)).toMatchObject({ resolved: 1, created: 0 });
    expect((await getTask(deps(), row.id)).state).toBe('resolved');
  });

  it('is critical at twice the limit', async () => {
    await sku('RS2', { shipped30: 50, returned30: 6 });
    await evaluate(deps(), spike);
    const [row] = await tasks();
    expect(row).toMatchObject({ severity: 'critical', title: 'Returns spike on RS2: 12 %' });
  });

  it('raises nothing below any of its bars', async () => {
    await sku('LOW1', { shipped30: 25, returned30: 2 }); // 8 %, but 2 returns
    await sku('LOW2', { shipped30: 24, returned30: 3 }); // 12.5 %, but 24 shipped
    await sku('LOW3', { shipped30: 60, returned30: 3 }); // 5 %: not above
    // 8 % now, but 6 % over the 90 days before: the limit is 1.5 × 6 = 9 %
    await sku('LOW4', { shipped30: 50, returned30: 4, shipped90: 100, returned90: 6 });
    expect(await evaluate(deps(), spike)).toMatchObject({ created: 0 });
  });

  it('compares with 1.5 times the trailing rate when that is above 5 %', async () => {
    // 20 % now against 8 % before: the limit is 12 %
    await sku('RS3', { shipped30: 50, returned30: 10, shipped90: 100, returned90: 8 });
    await evaluate(deps(), spike);
    const [row] = await tasks();
    expect((await getTask(deps(), row.id)).why[0]).toMatchObject({ value: 20, threshold: 12 });
  });

  it('forgets returns older than 30 days', async () => {
    await sku('RS4', { shipped30: 50, returned30: 3 });
    await evaluate(deps(), spike);
    now = new Date(now.getTime() + 29 * DAY); // the returns are 31 to 33 days old
    await insertLedgerShipments(tdb.db, { sku: 'RS4', days: { [day(1)]: 50 } });
    expect(await evaluate(deps(), spike)).toMatchObject({ resolved: 1 });
  });
});
