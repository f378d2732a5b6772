import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import { type FeeRow, recordFees } from './fees.service.ts';

/**
 * The one writer of `fees` and `fees_history` (recordFees), whose rules every source shares: the fee
 * agent (SP-API, Helium10), the fee preview report, the demo data set.
 */
let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});
beforeEach(async () => {
  await tdb.db.pool.query('TRUNCATE fees, fees_history');
});

const ASIN = 'B0REC00001';
const row = (o: Partial<FeeRow> = {}): FeeRow => ({
  marketplace: 'DE',
  asin: ASIN,
  referral: '3.75',
  fulfilment: '3.27',
  storage: null,
  other: '0.00',
  currency: 'EUR',
  price_basis: '24.99',
  ...o,
});
const at = (iso: string) => new Date(iso);

async function stored() {
  const { rows } = await tdb.db.pool.query(
    `SELECT referral::text, fulfilment::text, storage::text, currency::text, source, captured_at, checked_at
     FROM fees WHERE asin = $1`,
    [ASIN],
  );
  return rows[0];
}
async function history() {
  const { rows } = await tdb.db.pool.query(
    `SELECT to_char(captured_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS day, referral::text, source
     FROM fees_history WHERE asin = $1 ORDER BY captured_at`,
    [ASIN],
  );
  return rows;
}

describe('recordFees', () => {
  it('writes a new row observed at `at` and one history point keyed by its day', async () => {
    const w = await recordFees(tdb.db.pool, [row()], { source: 'sp_api', at: at('2026-11-20T09:30:00Z') });
    expect(w).toEqual({ changed: 1, history: 1, older: 0 });
    expect(await stored()).toMatchObject({
      referral: '3.75',
      source: 'sp_api',
      captured_at: at('2026-11-20T09:30:00Z'),
      checked_at: at('2026-11-20T09:30:00Z'),
    });
    expect(await history()).toEqual([{ day: '2026-11-20T00:00', referral: '3.75', source: 'sp_api' }]);
  });

  it('moves checked_at on an unchanged row, captured_at only on a change; one history point a day', async () => {
    await recordFees(tdb.db.pool, [row()], { source: 'sp_api', at: at('2026-11-20T09:00:00Z') });
    const same = await recordFees(tdb.db.pool, [row()], { source: 'sp_api', at: at('2026-11-21T09:00:00Z') });
    expect(same).toEqual({ changed: 0, history: 0, older: 0 });
    expect(await stored()).toMatchObject({
      captured_at: at('2026-11-20T09:00:00Z'),
      checked_at: at('2026-11-21T09:00:00Z'),
    });
    // two changes the same day: that day's point holds the later one
    await recordFees(tdb.db.pool, [row({ referral: '3.80' })], {
      source: 'sp_api',
      at: at('2026-11-22T08:00:00Z'),
    });
    await recordFees(tdb.db.pool, [row({ referral: '3.85' })], {
      source: 'sp_api',
      at: at('2026-11-22T15:00:00Z'),
    });
    expect(await stored()).toMatchObject({ referral: '3.85', captured_at: at('2026-11-22T15:00:00Z') });
    expect(await history()).toEqual([
      { day: '2026-11-20T00:00', referral: '3.75', source: 'sp_api' },
      { day: '2026-11-22T00:00', referral: '3.85', source: 'sp_api' },
    ]);
  });

  it('keeps a known storage fee when the new fees have none in the same currency, not in another', async () => {
    await recordFees(tdb.db.pool, [row({ storage: '0.20' })], {
      source: 'helium10',
      at: at('2026-11-20T09:00:00Z'),
    });
    await recordFees(tdb.db.pool, [row({ referral: '3.80' })], {
      source: 'fee_preview_report',
      at: at('2026-11-21T09:00:00Z'),
    });
    expect(await stored()).toMatchObject({ referral: '3.80', storage: '0.20', source: 'fee_preview_report' });
    await recordFees(tdb.db.pool, [row({ currency: 'GBP' })], {
      source: 'sp_api',
      at: at('2026-11-22T09:00:00Z'),
    });
    expect(await stored()).toMatchObject({ currency: 'GBP', storage: null });
  });

  it('an older observation changes nothing, judged by when the stored fees were last confirmed', async () => {
    // captured on the 10th, re-checked unchanged on the 27th: a report of the 26th is older evidence
    await recordFees(tdb.db.pool, [row()], { source: 'sp_api', at: at('2026-11-10T09:00:00Z') });
    await recordFees(tdb.db.pool, [row()], { source: 'sp_api', at: at('2026-11-27T09:00:00Z') });
    const old = await recordFees(tdb.db.pool, [row({ referral: '9.99' })], {
      source: 'fee_preview_report',
      at: at('2026-11-26T00:00:00Z'),
    });
    expect(old).toEqual({ changed: 0, history: 0, older: 1 });
    expect(await stored()).toMatchObject({
      referral: '3.75',
      source: 'sp_api',
      captured_at: at('2026-11-10T09:00:00Z'),
      checked_at: at('2026-11-27T09:00:00Z'),
    });
    expect(await history()).toEqual([{ day: '2026-11-10T00:00', referral: '3.75', source: 'sp_api' }]);
    // a row without checked_at (written before the agent kept one) is judged by its captured_at
    await tdb.db.pool.query('UPDATE fees SET checked_at = NULL');
    const newer = await recordFees(tdb.db.pool, [row({ referral: '9.99' })], {
      source: 'fee_preview_report',
      at: at('2026-11-26T00:00:00Z'),
    });
    expect(newer).toMatchObject({ changed: 1, older: 0 });
    expect(await stored()).toMatchObject({ referral: '9.99', source: 'fee_preview_report' });
  });

  it("writes on the caller's transaction: rolled back with it", async () => {
    await withTransaction(
      tdb.db,
      async (c) => {
        const w = await recordFees(c, [row()], { source: 'sp_api', at: at('2026-11-20T09:00:00Z') });
        expect(w.changed).toBe(1);
      },
      { rollback: true },
    );
    expect(await stored()).toBeUndefined();
    expect(await history()).toEqual([]);
  });
});
