import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  activeOfType,
  insertBuybox,
  insertPriceUpdate,
  insertRepricerRun,
  insertSoldAsin,
  tasksOfType,
} from '../../../../test/factories/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/db.ts';
import type { Clock } from '../../../platform/clock.ts';
import { evaluate } from '../engine.service.ts';
import { getTask } from '../tasks.service.ts';

// price_change: a proposal or a review guard of the newest repricer run, until a price is set or
// it expires.

const HOUR = 3_600_000;
let tdb: TestDatabase;
let now = new Date('2031-06-15T12:00:00Z');
const clock: Clock = { now: () => new Date(now) };
const deps = () => ({ db: tdb.db, clock });
const ago = (hours: number) => new Date(now.getTime() - hours * HOUR);
const later = (hours: number) => {
  now = new Date(now.getTime() + hours * HOUR);
};

const change = { types: ['price_change'] as const };

const tasksOf = (type: string) => tasksOfType(tdb.db, type);
const activeOf = (type: string) => activeOfType(tdb.db, type);
/** An ASIN the seller sells (an active listing), with buy-box points [price, hours ago]. */
const sold = (points: Array<[string, number]>, sku?: string) =>
  insertSoldAsin(
    tdb.db,
    points.map(([price, hours]) => [price, ago(hours)] as [string, Date]),
    sku,
  );
const _buybox = async (asin: string, points: Array<[string, number]>) => {
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
    'TRUNCATE tasks, task_events, products, listings, buybox_history, repricer_log, price_updates_log, offer_decisions CASCADE',
  );
  now = new Date('2031-06-15T12:00:00Z');
});

describe('price_change', () => {
  it("keeps the newest full run's proposals when a run for notified ASINs comes after it", async () => {
    const a = await sold([['19.50', 2]], 'SKU-A');
    const b = await sold([['19.50', 2]], 'SKU-B');
    await insertRepricerRun(tdb.db, {
      created_at: ago(1),
      decisions: [
        { sku: a.sku, asin: a.asin, old_price: '20.00', final_price: '19.49' },
        { sku: b.sku, asin: b.asin, old_price: '20.00', final_price: '19.49' },
      ],
    });
    expect(await evaluate(deps(), change)).toMatchObject({ created: 2 });
    // an offer notification for A's ASIN: a run of one listing, recorded as such by the offers domain
    const notified = await insertRepricerRun(tdb.db, {
      created_at: ago(0.5),
      decisions: [{ sku: a.sku, asin: a.asin, old_price: '20.00', final_price: '19.39' }],
    });
    await tdb.db.pool.query(
      `INSERT INTO offer_decisions (run_id, marketplace, asins, notifications, first_at, decided_at, mode, status)
       VALUES ($1, 'DE', $2, 1, $3, $3, 'dry_run', 'success')`,
      [notified, [a.asin], ago(0.5)],
    );
    expect(await evaluate(deps(), change)).toMatchObject({ created: 0, resolved: 0 });
    expect((await activeOf('price_change')).map((t: { dedup_key: string }) => t.dedup_key).sort()).toEqual([
      'price_change:DE:SKU-A',
      'price_change:DE:SKU-B',
    ]);
  });

  it('raises the proposal of a dry run, with its apply action, and resolves it once a price is set', async () => {
    const { asin, sku } = await sold([['19.50', 2]], 'SKU-A');
    const run = await insertRepricerRun(tdb.db, {
      created_at: ago(1),
      decisions: [
        { sku, asin, old_price: '20.00', final_price: '19.49', reason: 'beat the buy box by 0.01' },
        // no change, and a skipped listing: nothing to do
        { sku: 'SKU-B', asin: null, old_price: '20.00', final_price: '20.00', changed: false },
        { sku: 'SKU-C', final_price: null, changed: false, skipped: true },
      ],
    });
    expect(await evaluate(deps(), change)).toMatchObject({ created: 1 });
    const [row] = await tasksOf('price_change');
    const task = await getTask(deps(), row.id);
    expect(task).toMatchObject({
      state: 'open',
      severity: 'info',
      title: 'Price SKU-A: 20.00 → 19.49 EUR',
      dedup_key: 'price_change:DE:SKU-A',
      sku,
      asin,
      links: { sku, asin, run_id: run },
      action: {
        default: {
          kind: 'apply_price',
          label: 'Apply 19.49 EUR',
          params: { marketplace: 'DE', sku, price: 19.49 },
        },
        alternatives: [{ kind: 'open', params: { page: 'sku', asin } }],
      },
      details: { old_price: 20, price: 19.49, currency: 'EUR', mode: 'dry_run', guards: [] },
    });
    expect(task.why).toEqual([
      {
        code: 'proposed_price',
        message: 'proposed 19.49 EUR (beat the buy box by 0.01)',
        metric: 'price',
        value: 19.49,
        threshold: 20,
      },
    ]);
    expect(Date.parse(String(task.expires_at))).toBe(ago(1).getTime() + 24 * HOUR);

    expect(await evaluate(deps(), change)).toMatchObject({ created: 0, updated: 0, resolved: 0 });

    // a rejected submission set no price: the proposal stands
    await insertPriceUpdate(tdb.db, {
      sku,
      new_price: '19.49',
      created_at: ago(0.5),
      submission_status: 'rejected',
    });
    expect(await evaluate(deps(), change)).toMatchObject({ resolved: 0 });
    await insertPriceUpdate(tdb.db, { sku, new_price: '19.49', created_at: ago(0.4) });
    expect(await evaluate(deps(), change)).toMatchObject({ resolved: 1 });
    expect((await getTask(deps(), row.id)).state).toBe('resolved');
  });

  it('ignores a price set before the run, and proposals of an older run', async () => {
    const { asin, sku } = await sold([['19.50', 2]]);
    await insertPriceUpdate(tdb.db, { sku, new_price: '20.00', created_at: ago(3) });
    await insertRepricerRun(tdb.db, {
      created_at: ago(5),
      decisions: [{ sku: 'OLD-1', final_price: '9.99' }],
    });
    await insertRepricerRun(tdb.db, { created_at: ago(2), decisions: [{ sku, asin, final_price: '19.49' }] });
    expect(await evaluate(deps(), change)).toMatchObject({ created: 1 });
    expect((await tasksOf('price_change'))[0].dedup_key).toBe(`price_change:DE:${sku}`);
  });

  it('raises nothing for a change the repricer applied itself', async () => {
    const { asin, sku } = await sold([['19.50', 2]]);
    await insertRepricerRun(tdb.db, {
      created_at: ago(1),
      mode: 'apply',
      decisions: [{ sku, asin, final_price: '19.49' }],
    });
    await insertPriceUpdate(tdb.db, { sku, new_price: '19.49', created_at: ago(1), mode: 'apply' });
    expect(await evaluate(deps(), change)).toMatchObject({ created: 0 });
  });

  it('raises a warning when a review guard held the price back', async () => {
    const { asin, sku } = await sold([['12.00', 2]], 'SKU-G');
    await insertRepricerRun(tdb.db, {
      created_at: ago(1),
      mode: 'apply',
      decisions: [
        {
          sku,
          asin,
          old_price: '20.00',
          proposed: '11.99',
          final_price: '20.00',
          changed: false,
          guards: ['max_step', 'floor'],
          reason: 'held: the drop exceeds the step limit',
        },
        // a guard that needs nobody (clamped to the floor)
        { sku: 'SKU-F', old_price: '16.00', final_price: '16.00', changed: false, guards: ['floor'] },
      ],
    });
    expect(await evaluate(deps(), change)).toMatchObject({ created: 1 });
    const [row] = await tasksOf('price_change');
    const task = await getTask(deps(), row.id);
    expect(task).toMatchObject({
      severity: 'warning',
      title: 'Price SKU-G held by max_step',
      // the price in force is set already: the action offers the one the guard held back
      action: {
        default: { kind: 'apply_price', label: 'Apply 11.99 EUR anyway', params: { sku, price: 11.99 } },
      },
    });
    expect(task.why).toEqual([
      {
        code: 'guard_max_step',
        message: 'guard max_step: held: the drop exceeds the step limit',
        metric: 'guard',
        value: 'max_step',
        threshold: null,
      },
    ]);
  });

  it('expires after expire_hours and is not raised again for the same run', async () => {
    const { asin, sku } = await sold([['19.50', 2]]);
    await insertRepricerRun(tdb.db, { created_at: ago(1), decisions: [{ sku, asin, final_price: '19.49' }] });
    await evaluate(deps(), change);
    const [row] = await tasksOf('price_change');

    later(22); // 23 h after the run: still open
    expect(await evaluate(deps(), change)).toMatchObject({ expired: 0, created: 0 });
    later(2); // 25 h
    expect(await evaluate(deps(), change)).toMatchObject({ expired: 1, created: 0, resolved: 0 });
    const expired = await getTask(deps(), row.id);
    expect(expired.state).toBe('expired');
    expect(expired.events.at(-1)).toMatchObject({ kind: 'expired', actor: 'engine' });
    expect(await evaluate(deps(), change)).toMatchObject({ created: 0, expired: 0 });
    expect(await activeOf('price_change')).toEqual([]);

    // the next run proposes afresh: a new task
    await insertRepricerRun(tdb.db, {
      created_at: ago(0.1),
      decisions: [{ sku, asin, final_price: '19.39' }],
    });
    expect(await evaluate(deps(), change)).toMatchObject({ created: 1 });
  });
});
