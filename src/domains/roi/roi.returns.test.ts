import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  insertListing,
  insertLogisticsRate,
  insertVendor,
  insertVendorPrice,
  nextSeq,
} from '../../../test/factories/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { updateRoi } from './roi.service.ts';

// The returns allowance of SPEC §6 in roi_offers (migration 0007):
//   per_unit = round((refunds − reimbursements over the trailing 90 days) / units sold in them, 4)
// Every product here is the factory default: buy box 29.99 (no VAT), fees 3.00 + 3.50 + 0.20 = 6.70,
// 0.5 kg × 2.00 €/kg = freight 1.00, vendor cost 10.00. Without returns:
//   profit = 29.99 − 6.70 − 10.00 − 1.00 = 12.29, roi = 100 × 12.29 / 11.00 = 111.7,
//   margin = 100 × 12.29 / 29.99 = 41.0
// and with an allowance a: profit = 12.29 − a, roi = 100 × profit / 11.00, margin = 100 × profit / 29.99.
// Dates are relative to the database's clock; the window is calendar days: [current_date − 89, today].

let tdb: TestDatabase;

const query = async (text: string, values: unknown[] = []) => (await tdb.db.pool.query(text, values)).rows;
const ago = 'now() - make_interval(days => $2)';

/** A customer return (returns report) with a refund amount, `days` ago. */
const returned = (asin: string, refund: string, days: number) =>
  query(
    `INSERT INTO returns_raw (order_id, return_date, marketplace, asin, quantity, refund_amount, currency, load_id)
     VALUES ($1, ${ago}, 'DE', $3, 1, $4, 'EUR', 0)`,
    [`R-${nextSeq()}`, days, asin, refund],
  );

const reimbursed = (asin: string, amount: string, days: number) =>
  query(
    `INSERT INTO reimbursements_raw (reimbursement_id, approval_date, marketplace, asin, amount_total, currency, load_id)
     VALUES ($1, ${ago}, 'DE', $3, $4, 'EUR', 0)`,
    [`M-${nextSeq()}`, days, asin, amount],
  );

/** An inventory-ledger event on the day `days` ago; customer shipments are negative quantities. */
const ledger = (asin: string, eventType: string, quantity: number, days: number) =>
  query(
    `INSERT INTO inventory_ledger_raw (row_hash, occurrence, event_date, asin, msku, event_type, quantity, load_id)
     VALUES (decode(md5($1), 'hex'), 0, current_date - $2::int, $3, 'MSKU', $4, $5, 0)`,
    [`L-${nextSeq()}`, days, asin, eventType, quantity],
  );

/** A settlement line (by SKU only, as Amazon reports it), posted `days` ago. */
const settled = (
  sku: string,
  days: number,
  line: { type: string; amountType: string; description: string; amount: string; qty?: number },
) =>
  query(
    `INSERT INTO settlement_lines_raw (settlement_id, line, transaction_type, amount_type, amount_description,
       amount, posted_date, sku, quantity_purchased, load_id)
     VALUES ($1, $3, $4, $5, $6, $7, ${ago}, $8, $9, 0)`,
    [
      'S-1',
      days,
      nextSeq(),
      line.type,
      line.amountType,
      line.description,
      line.amount,
      sku,
      line.qty ?? null,
    ],
  );
const order = (sku: string, qty: number, days: number) =>
  settled(sku, days, {
    type: 'Order',
    amountType: 'ItemPrice',
    description: 'Principal',
    amount: '1.00',
    qty,
  });
const refund = (sku: string, amount: string, days: number) =>
  settled(sku, days, { type: 'Refund', amountType: 'ItemPrice', description: 'Principal', amount });

/** The seller's own listing: the only way a settlement SKU reaches its ASIN. */
const listed = (sku: string, asin: string) =>
  query(`INSERT INTO listings (marketplace, sku, asin) VALUES ('DE', $1, $2)`, [sku, asin]);

/** A default product with one vendor offer at 10.00. */
async function product(): Promise<string> {
  const { asin } = await insertListing(tdb.db);
  const v = await insertVendor(tdb.db);
  await insertVendorPrice(tdb.db, { vendor_id: v.id, asin, cost: '10.00' });
  return asin;
}

const roi = async (asin: string) => {
  const rows = await query(
    'SELECT returns_allowance::text AS a, profit::text, roi_pct::text, margin_pct::text FROM roi_offers WHERE asin = $1',
    [asin],
  );
  expect(rows).toHaveLength(1);
  return rows[0];
};

beforeAll(async () => {
  tdb = await createTestDatabase();
  await insertLogisticsRate(tdb.db, { eur_per_kg: '2.00' }); // the default lane DHL:DE:DE:standard
});

afterAll(async () => {
  await tdb.drop();
});

describe('returns allowance', () => {
  it('spreads returns-report refunds less reimbursements over ledger shipments', async () => {
    const asin = await product();
    await returned(asin, '29.99', 3);
    await returned(asin, '14.50', 40);
    await reimbursed(asin, '10.00', 20);
    await ledger(asin, 'Shipments', -3, 1);
    await ledger(asin, 'Shipments', -5, 30);
    await ledger(asin, 'Shipments', -4, 60);
    await ledger(asin, 'Receipts', 24, 70); // stock coming in is not a sale
    await ledger(asin, 'CustomerReturns', 1, 2);
    await updateRoi(tdb.db);
    // (29.99 + 14.50 − 10.00) / (3 + 5 + 4) = 34.49 / 12 = 2.874166… → 2.8742
    // profit 12.29 − 2.8742 = 9.4158; roi 100 × 9.4158 / 11 = 85.598… → 85.6;
    // margin 100 × 9.4158 / 29.99 = 31.396… → 31.4
    expect(await roi(asin)).toEqual({ a: '2.8742', profit: '9.4158', roi_pct: '85.6', margin_pct: '31.4' });
  });

  it('prefers settlement refunds to the returns report, maps SKUs through listings, counts order units', async () => {
    const asin = await product();
    await listed('OWN-A', asin);
    await listed('OWN-B', asin); // a second SKU of the same ASIN
    // the same refund seen in both reports: the settlement's figure wins, the report's is not added
    await returned(asin, '29.99', 10);
    await returned(asin, '15.00', 12);
    await refund('OWN-A', '-24.99', 9);
    await refund('OWN-B', '-5.00', 11);
    // refunded fees are not refunds, and a SKU without a listing has no ASIN
    await settled('OWN-A', 9, {
      type: 'Refund',
      amountType: 'ItemFees',
      description: 'Commission',
      amount: '3.75',
    });
    await refund('UNLISTED', '-99.00', 9);
    // units: Principal order lines only; fee and shipping lines repeat the quantity
    await order('OWN-A', 2, 20);
    await order('OWN-B', 3, 50);
    await settled('OWN-A', 20, {
      type: 'Order',
      amountType: 'ItemFees',
      description: 'Commission',
      amount: '-4.50',
      qty: 2,
    });
    await settled('OWN-A', 20, {
      type: 'Order',
      amountType: 'ItemPrice',
      description: 'Shipping',
      amount: '2.00',
      qty: 2,
    });
    await order('UNLISTED', 100, 20);
    await reimbursed(asin, '2.00', 5);
    await updateRoi(tdb.db);
    // refunds −(−24.99 − 5.00) = 29.99 (not + 29.99 + 15.00 from the returns report)
    // (29.99 − 2.00) / (2 + 3) = 27.99 / 5 = 5.598 → 5.5980
    // profit 12.29 − 5.598 = 6.692; roi 100 × 6.692 / 11 = 60.836… → 60.8; margin 669.2 / 29.99 = 22.31… → 22.3
    expect(await roi(asin)).toEqual({ a: '5.5980', profit: '6.6920', roi_pct: '60.8', margin_pct: '22.3' });
  });

  it('counts ledger shipments before settlement order units', async () => {
    const asin = await product();
    await listed('OWN-C', asin);
    await refund('OWN-C', '-12.00', 5);
    await order('OWN-C', 2, 5); // the ledger knows better: 8 units
    await ledger(asin, 'Shipments', -8, 5);
    await updateRoi(tdb.db);
    // 12.00 / 8 = 1.5; profit 12.29 − 1.5 = 10.79; roi 1079 / 11 = 98.09… → 98.1; margin 1079 / 29.99 = 35.97… → 36.0
    expect(await roi(asin)).toEqual({ a: '1.5000', profit: '10.7900', roi_pct: '98.1', margin_pct: '36.0' });
  });

  it('reads the trailing 90 calendar days: 89 days ago counts, 90 and 95 days ago do not', async () => {
    const asin = await product();
    for (const [days, refundAmt, reimb, units] of [
      [89, '20.00', '5.00', 10],
      [90, '500.00', '300.00', 100],
      [95, '700.00', '400.00', 1000],
    ] as const) {
      await returned(asin, refundAmt, days);
      await reimbursed(asin, reimb, days);
      await ledger(asin, 'Shipments', -units, days);
    }
    // the first instant of the window counts, the one before it does not
    await query(
      `INSERT INTO returns_raw (order_id, return_date, marketplace, asin, quantity, refund_amount, load_id)
       VALUES ('EDGE-IN', (current_date - 89)::timestamptz, 'DE', $1, 1, 1.00, 0),
              ('EDGE-OUT', (current_date - 89)::timestamptz - interval '1 microsecond', 'DE', $1, 1, 1000.00, 0)`,
      [asin],
    );
    // settlement lines by the same rule, for an ASIN known only by its SKU
    const viaSku = await product();
    await listed('OWN-W', viaSku);
    await refund('OWN-W', '-8.00', 89);
    await order('OWN-W', 4, 89);
    await refund('OWN-W', '-800.00', 90);
    await order('OWN-W', 40, 90);
    await updateRoi(tdb.db);
    // (20.00 + 1.00 − 5.00) / 10 = 1.6; profit 12.29 − 1.6 = 10.69; roi 1069 / 11 = 97.18… → 97.2;
    // margin 1069 / 29.99 = 35.645… → 35.6
    expect(await roi(asin)).toEqual({ a: '1.6000', profit: '10.6900', roi_pct: '97.2', margin_pct: '35.6' });
    // 8.00 / 4 = 2; profit 10.29; roi 1029 / 11 = 93.54… → 93.5; margin 1029 / 29.99 = 34.31… → 34.3
    expect(await roi(viaSku)).toEqual({
      a: '2.0000',
      profit: '10.2900',
      roi_pct: '93.5',
      margin_pct: '34.3',
    });
  });

  it('is 0 without units sold in the window (no division by zero) and without any returns data', async () => {
    const noUnits = await product();
    await returned(noUnits, '30.00', 5);
    await reimbursed(noUnits, '1.00', 5);
    const staleUnits = await product();
    await returned(staleUnits, '30.00', 5);
    await ledger(staleUnits, 'Shipments', -10, 95); // sold, but before the window
    await ledger(staleUnits, 'Shipments', 0, 5); // a zero-quantity row: units 0, still no division
    const untouched = await product();
    await updateRoi(tdb.db);
    const zero = { a: '0', profit: '12.2900', roi_pct: '111.7', margin_pct: '41.0' };
    expect(await roi(noUnits)).toEqual(zero);
    expect(await roi(staleUnits)).toEqual(zero);
    expect(await roi(untouched)).toEqual(zero);
  });

  it('is never negative: reimbursements above refunds give no allowance, not extra profit', async () => {
    const asin = await product();
    await returned(asin, '10.00', 7);
    await reimbursed(asin, '25.00', 7);
    await ledger(asin, 'Shipments', -6, 7);
    await updateRoi(tdb.db);
    // (10.00 − 25.00) / 6 = −2.5 → clamped to 0: the baseline figures
    expect(await roi(asin)).toEqual({ a: '0', profit: '12.2900', roi_pct: '111.7', margin_pct: '41.0' });
  });

  it("counts only the marketplace's own returns and the refunded item price", async () => {
    const asin = await product();
    await returned(asin, '10.00', 5);
    // a US return of the same ASIN and a refunded tax line say nothing about the DE margin
    await query(
      `INSERT INTO returns_raw (order_id, return_date, marketplace, asin, quantity, refund_amount, currency, load_id)
       VALUES ('US-1', now() - interval '5 days', 'US', $1, 1, 99.00, 'USD', 0)`,
      [asin],
    );
    await ledger(asin, 'Shipments', -4, 5);
    await listed('OWN-T', asin);
    await settled('OWN-T', 5, {
      type: 'Refund',
      amountType: 'ItemPrice',
      description: 'Tax',
      amount: '-1.90',
    });
    await updateRoi(tdb.db);
    // 10.00 / 4 = 2.5 (the tax line is not a Principal refund, so the report's 10.00 stands)
    expect((await roi(asin)).a).toBe('2.5000');
  });

  it('ignores returns of an ASIN that no vendor offers', async () => {
    const { asin: unoffered } = await insertListing(tdb.db);
    await returned(unoffered, '50.00', 3);
    await reimbursed(unoffered, '5.00', 3);
    await ledger(unoffered, 'Shipments', -2, 3);
    await listed('OWN-U', 'B0NOTOFFER');
    await refund('OWN-U', '-9.00', 3);
    const offered = await product();
    await updateRoi(tdb.db);
    expect(
      await query('SELECT asin FROM roi_offers WHERE asin = ANY($1)', [[unoffered, 'B0NOTOFFER']]),
    ).toEqual([]);
    expect(await roi(offered)).toEqual({ a: '0', profit: '12.2900', roi_pct: '111.7', margin_pct: '41.0' });
  });
});
