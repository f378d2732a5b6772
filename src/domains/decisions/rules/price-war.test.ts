import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  activeOfType,
  insertBuybox,
  insertProduct,
  insertRepricerRun,
  insertSoldAsin,
  tasksOfType,
} from '../../../../test/factories/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/db.ts';
import type { Clock } from '../../../platform/clock.ts';
import { evaluate } from '../engine.service.ts';
import { getTask } from '../tasks.service.ts';

// price_war: buy-box drops within the window, the buy box below the repricer's floor, and how it
// silences price_change.

const HOUR = 3_600_000;
let tdb: TestDatabase;
let now = new Date('2031-06-15T12:00:00Z');
const clock: Clock = { now: () => new Date(now) };
const deps = () => ({ db: tdb.db, clock });
const ago = (hours: number) => new Date(now.getTime() - hours * HOUR);
const later = (hours: number) => {
  now = new Date(now.getTime() + hours * HOUR);
};

const war = { types: ['price_war'] as const };
const change = { types: ['price_change'] as const };
const both = { types: ['price_war', 'price_change'] as const };

const tasksOf = (type: string) => tasksOfType(tdb.db, type);
const activeOf = (type: string) => activeOfType(tdb.db, type);
/** An ASIN the seller sells (an active listing), with buy-box points [price, hours ago]. */
const sold = (points: Array<[string, number]>, sku?: string) =>
  insertSoldAsin(
    tdb.db,
    points.map(([price, hours]) => [price, ago(hours)] as [string, Date]),
    sku,
  );
const buybox = async (asin: string, points: Array<[string, number]>) => {
  for (const [price, hours] of points) await insertBuybox(tdb.db, { asin, price, captured_at: ago(hours) });
};

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});
beforeEach(async () => {
  await tdb.db.pool.query(
    'TRUNCATE tasks, task_events, products, listings, buybox_history, repricer_log, price_updates_log CASCADE',
  );
  now = new Date('2031-06-15T12:00:00Z');
});

describe('price_war', () => {
  it('raises a warning for 3 buy-box drops in 24 h taking 10 % or more off, and resolves once they age out', async () => {
    // 20.00 a day and a half ago, then three drops within the day: 20.00 → 17.90 is −10.5 %
    const { asin } = await sold([
      ['20.00', 36],
      ['19.50', 20],
      ['19.00', 10],
      ['17.90', 2],
    ]);
    expect(await evaluate(deps(), war)).toMatchObject({ created: 1 });
    const [row] = await tasksOf('price_war');
    const task = await getTask(deps(), row.id);
    expect(task).toMatchObject({
      state: 'open',
      severity: 'warning',
      title: `Price war on ${asin}: buy box 17.90 EUR`,
      dedup_key: `price_war:DE:${asin}`,
      asin,
      marketplace: 'DE',
      links: { asin },
      action: { default: { kind: 'open', params: { page: 'sku', asin } }, alternatives: [] },
      details: { buybox: 17.9, drops: 3, floor: null, currency: 'EUR' },
    });
    expect(task.why).toEqual([
      {
        code: 'buybox_drops',
        message: '3 buy-box drops in 24 h taking 10.5 % off',
        metric: 'buybox_drop_pct',
        value: 10.5,
        threshold: 10,
      },
    ]);

    expect(await evaluate(deps(), war)).toMatchObject({ created: 0, updated: 0, resolved: 0 });

    // 20 hours on, the first drop is out of the window: two drops left
    later(20);
    expect(await evaluate(deps(), war)).toMatchObject({ resolved: 1, created: 0 });
    expect((await getTask(deps(), row.id)).state).toBe('resolved');
  });

  it('raises nothing for two drops, or three taking less than 10 % off', async () => {
    await sold([
      ['20.00', 30],
      ['18.00', 20],
      ['17.00', 10],
    ]);
    // 20.00 → 18.02 is −9.9 %
    await sold([
      ['20.00', 30],
      ['19.50', 20],
      ['19.00', 10],
      ['18.02', 2],
    ]);
    expect(await evaluate(deps(), war)).toMatchObject({ created: 0 });
  });

  it('takes the drops net of the rises between them: a buy box rotating between two sellers is no war', async () => {
    await sold([
      ['20.00', 30],
      ['18.00', 20],
      ['20.00', 16],
      ['18.00', 12],
      ['20.00', 8],
      ['18.00', 4],
      ['20.00', 1],
    ]);
    expect(await evaluate(deps(), war)).toMatchObject({ created: 0 });
  });

  it('leaves out an ASIN the seller neither sells nor approved', async () => {
    const { asin } = await insertProduct(tdb.db, { status: 'pending' });
    await buybox(asin, [
      ['20.00', 36],
      ['19.00', 20],
      ['18.00', 10],
      ['17.00', 2],
    ]);
    expect(await evaluate(deps(), war)).toMatchObject({ created: 0 });
  });

  it('raises a critical task when the buy box fell below our floor and stayed there twice in a row', async () => {
    const { asin, sku } = await sold([
      ['16.00', 20],
      ['14.80', 5],
    ]);
    await insertRepricerRun(tdb.db, {
      created_at: ago(3),
      decisions: [{ sku, asin, floor: '15.00', buybox: '14.80', changed: false, guards: ['floor'] }],
    });
    // one observation below the floor: not yet
    expect(await evaluate(deps(), war)).toMatchObject({ created: 0 });

    await buybox(asin, [['14.50', 1]]);
    expect(await evaluate(deps(), war)).toMatchObject({ created: 1 });
    const [row] = await tasksOf('price_war');
    const task = await getTask(deps(), row.id);
    expect(task).toMatchObject({
      severity: 'critical',
      title: `Price war on ${asin}: buy box 14.50 EUR`,
      details: { buybox: 14.5, floor: 15, drops: null },
    });
    expect(task.why).toEqual([
      {
        code: 'below_floor',
        message: 'buy box 14.50 below our floor 15.00 2 times in a row',
        metric: 'buybox',
        value: 14.5,
        threshold: 15,
      },
    ]);
    expect(await evaluate(deps(), war)).toMatchObject({ created: 0, updated: 0, resolved: 0 });

    await buybox(asin, [['15.20', 0.5]]);
    expect(await evaluate(deps(), war)).toMatchObject({ resolved: 1 });
  });

  it('raises nothing for a buy box that has sat below our floor for longer than the window (no war: an ROI problem)', async () => {
    const { asin, sku } = await sold([
      ['16.00', 60],
      ['14.80', 40],
      ['14.70', 20],
      ['14.60', 1],
    ]);
    await insertRepricerRun(tdb.db, {
      created_at: ago(3),
      decisions: [{ sku, asin, floor: '15.00', buybox: '14.60', changed: false, guards: ['floor'] }],
    });
    expect(await evaluate(deps(), war)).toMatchObject({ created: 0 });
  });

  it('silences price_change for the ASIN while the war lasts, and lets it through once it ends', async () => {
    const { asin, sku } = await sold([
      ['20.00', 30],
      ['19.50', 20],
      ['19.00', 10],
      ['17.90', 2],
    ]);
    await insertRepricerRun(tdb.db, {
      created_at: ago(1),
      decisions: [{ sku, asin, old_price: '20.00', final_price: '17.89', floor: '15.00' }],
    });
    expect(await evaluate(deps(), both)).toMatchObject({ created: 1 });
    expect(await activeOf('price_war')).toHaveLength(1);
    expect(await activeOf('price_change')).toEqual([]);
    // price_change alone still sees the open war
    expect(await evaluate(deps(), change)).toMatchObject({ created: 0 });

    // the war ends: the same evaluation resolves it and raises the proposal
    later(20);
    expect(await evaluate(deps(), both)).toMatchObject({ resolved: 1, created: 1 });
    expect(await activeOf('price_war')).toEqual([]);
    expect(await activeOf('price_change')).toHaveLength(1);
  });
});
