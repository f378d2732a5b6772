import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { fixedClock } from '../../platform/clock.ts';
import { updateRoi } from './roi.service.ts';

// The incremental update against the rebuild, over random sequences of every kind of change a writer
// makes: price lists (offers added, repriced, moved to another ASIN, barcode-only, removed), vendors,
// Keepa (products, barcodes, buy box), fees, FX, freight lanes, VAT rates, report ingests (listings,
// settlements, returns, reimbursements, shipments) and settings. After each sequence the update must
// leave exactly the rows a rebuild computes from scratch; a rebuild then finds nothing to change.
// The writes are plain SQL on the input tables: the triggers note them whoever the writer is.

const clock = fixedClock('2031-06-15T12:00:00.000Z');
const ASINS = Array.from({ length: 10 }, (_, i) => `B0PROP${String(i).padStart(4, '0')}`);
// a barcode per ASIN, and two ASINs sharing one more (the barcode names the known product first)
const GTINS = ASINS.map((_, i) => `40000000${String(i).padStart(5, '0')}`);
const SHARED_GTIN = '4000000099999';
const SKUS = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6'];
const CATEGORIES = ['Books', 'Toys', 'Garden'];
const COUNTRIES = ['DE', 'PL', 'CN', 'FR'];
const CURRENCIES = ['EUR', 'PLN', 'USD', 'CHF'];
const LANES = [
  ['DHL', 'DE', 'DE', 'standard'],
  ['DHL', 'PL', 'DE', 'standard'],
  ['DBSchenker', 'PL', 'DE', 'road'],
  ['Maersk', 'CN', 'DE', 'sea'],
] as const;
// days before the clock's: inside and outside the 90-day windows
const DAYS_AGO = [1, 30, 89, 90, 200];

let tdb: TestDatabase;
let vendorIds: number[] = [];
let seq = 0;

type Write = { text: string; values: unknown[] };
const w = (text: string, ...values: unknown[]): Write => ({ text, values });
const dayAgo = (n: number) => `'2031-06-15'::date - ${n}`;

const asin = fc.constantFrom(...ASINS);
const money = fc.integer({ min: 50, max: 9_000 }).map((c) => (c / 100).toFixed(2));
const vendor = fc.integer({ min: 0, max: 2 });

/** One change as its writer makes it; `settings` marks the one that reaches every offer. */
const change: fc.Arbitrary<Write & { settings?: true }> = fc.oneof(
  fc
    .record({
      v: vendor,
      sku: fc.constantFrom(...SKUS),
      a: fc.option(asin),
      g: fc.nat(9),
      cost: money,
      cur: fc.constantFrom(...CURRENCIES),
    })
    .map(({ v, sku, a, g, cost, cur }) =>
      w(
        `INSERT INTO vendor_prices (vendor_id, sku, asin, barcode, cost, currency) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (vendor_id, sku) DO UPDATE SET asin = EXCLUDED.asin, barcode = EXCLUDED.barcode,
           cost = EXCLUDED.cost, currency = EXCLUDED.currency, updated_at = now()`,
        vendorIds[v],
        sku,
        a,
        g === 9 ? SHARED_GTIN : GTINS[g],
        cost,
        cur,
      ),
    ),
  fc
    .record({ v: vendor, sku: fc.constantFrom(...SKUS) })
    .map(({ v, sku }) => w('DELETE FROM vendor_prices WHERE vendor_id = $1 AND sku = $2', vendorIds[v], sku)),
  fc
    .record({ v: vendor, c: fc.constantFrom(...COUNTRIES) })
    .map(({ v, c }) =>
      w('UPDATE vendors SET country = $2, name = $3 WHERE id = $1', vendorIds[v], c, `Vendor ${v} ${c}`),
    ),
  fc
    .record({
      a: asin,
      kg: fc.option(fc.integer({ min: 0, max: 3000 })),
      cat: fc.constantFrom(...CATEGORIES),
    })
    .map(({ a, kg, cat }) =>
      w(
        `INSERT INTO products (asin, title, category, weight_kg) VALUES ($1, $2, $3, $4)
         ON CONFLICT (asin) DO UPDATE SET title = EXCLUDED.title, category = EXCLUDED.category,
           weight_kg = EXCLUDED.weight_kg, updated_at = now()`,
        a,
        `Product ${a} ${++seq}`,
        cat,
        kg === null ? null : (kg / 1000).toFixed(3),
      ),
    ),
  asin.map((a) => w('DELETE FROM products WHERE asin = $1', a)),
  fc.record({ a: asin, g: fc.nat(9) }).map(({ a, g }) =>
    w(
      `INSERT INTO product_identifiers (kind, value, asin) VALUES ('EAN', $1, $2)
       ON CONFLICT (kind, value) DO UPDATE SET asin = EXCLUDED.asin, updated_at = now()`,
      g === 9 ? SHARED_GTIN : GTINS[g],
      a,
    ),
  ),
  fc
    .nat(9)
    .map((g) => w('DELETE FROM product_identifiers WHERE value = $1', g === 9 ? SHARED_GTIN : GTINS[g])),
  fc
    .record({ a: asin, r: money, f: fc.option(money), cur: fc.constantFrom('EUR', 'USD') })
    .map(({ a, r, f, cur }) =>
      w(
        `INSERT INTO fees (marketplace, asin, referral, fulfilment, storage, currency, source, captured_at)
       VALUES ('DE', $1, $2, $3, 0.10, $4, 'manual', now())
       ON CONFLICT (marketplace, asin) DO UPDATE SET referral = EXCLUDED.referral,
         fulfilment = EXCLUDED.fulfilment, currency = EXCLUDED.currency, captured_at = now()`,
        a,
        r,
        f,
        cur,
      ),
    ),
  asin.map((a) => w("DELETE FROM fees WHERE marketplace = 'DE' AND asin = $1", a)),
  fc.record({ a: asin, p: money, cur: fc.constantFrom('EUR', 'EUR', 'GBP') }).map(({ a, p, cur }) =>
    w(
      `INSERT INTO buybox_history (marketplace, asin, captured_at, price, currency, source)
       VALUES ('DE', $1, now() + make_interval(secs => $4), $2, $3, 'keepa')`,
      a,
      p,
      cur,
      ++seq,
    ),
  ),
  fc
    .record({ cur: fc.constantFrom('PLN', 'USD', 'GBP', 'EUR'), rate: fc.integer({ min: 10, max: 200 }) })
    .map(({ cur, rate }) =>
      w(
        // the newest rate is the one in force
        `INSERT INTO fx_rates (currency, as_of, rate, source) VALUES ($1, '2031-06-10', $2, 'ecb')
         ON CONFLICT (currency, as_of) DO UPDATE SET rate = EXCLUDED.rate`,
        cur,
        (rate / 100).toFixed(4),
      ),
    ),
  fc
    .record({
      l: fc.nat(LANES.length - 1),
      kg: fc.integer({ min: 10, max: 300 }),
      until: fc.option(fc.constantFrom(...DAYS_AGO)),
    })
    .map(({ l, kg, until }) =>
      w(
        `INSERT INTO logistics_rates (carrier, origin, dest, service, eur_per_kg, effective_to)
         VALUES ($1, $2, $3, $4, $5, ${until === null ? 'NULL' : dayAgo(until)})
         ON CONFLICT (carrier, origin, dest, service, effective_from)
         DO UPDATE SET eur_per_kg = EXCLUDED.eur_per_kg, effective_to = EXCLUDED.effective_to`,
        ...LANES[l]!,
        (kg / 100).toFixed(2),
      ),
    ),
  fc
    .nat(LANES.length - 1)
    .map((l) =>
      w(
        'DELETE FROM logistics_rates WHERE (carrier, origin, dest, service) = ($1, $2, $3, $4)',
        ...LANES[l]!,
      ),
    ),
  fc
    .record({
      cat: fc.boolean(),
      a: asin,
      c: fc.constantFrom(...CATEGORIES),
      rate: fc.constantFrom('0.07', '0.05', '0'),
    })
    .map(({ cat, a, c, rate }) =>
      w(
        `INSERT INTO vat_rates (marketplace, scope, key, rate) VALUES ('DE', $1, $2, $3)
         ON CONFLICT (marketplace, scope, lower(key)) DO UPDATE SET rate = EXCLUDED.rate, updated_at = now()`,
        cat ? 'category' : 'asin',
        cat ? c.toUpperCase() : a,
        rate,
      ),
    ),
  fc
    .record({ cat: fc.boolean(), a: asin, c: fc.constantFrom(...CATEGORIES) })
    .map(({ cat, a, c }) =>
      w(
        'DELETE FROM vat_rates WHERE scope = $1 AND lower(key) = lower($2)',
        cat ? 'category' : 'asin',
        cat ? c : a,
      ),
    ),
  fc
    .record({ sku: fc.constantFrom(...SKUS), a: asin, mfn: fc.boolean(), active: fc.boolean() })
    .map(({ sku, a, mfn, active }) =>
      w(
        `INSERT INTO listings (marketplace, sku, asin, fulfillment_channel, status, load_id, updated_at)
       VALUES ('DE', $1, $2, $3, $4, 1, now() + make_interval(secs => $5))
       ON CONFLICT (marketplace, sku) DO UPDATE SET asin = EXCLUDED.asin,
         fulfillment_channel = EXCLUDED.fulfillment_channel, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at`,
        sku,
        a,
        mfn ? 'MFN' : 'AFN',
        active ? 'active' : 'inactive',
        ++seq,
      ),
    ),
  fc
    .record({
      sku: fc.constantFrom(...SKUS),
      refund: fc.boolean(),
      amount: money,
      ago: fc.constantFrom(...DAYS_AGO),
    })
    .map(({ sku, refund, amount, ago }) =>
      w(
        `INSERT INTO settlement_lines_raw (settlement_id, line, transaction_type, amount_type, amount_description,
           amount, quantity_purchased, posted_date, sku, load_id)
         VALUES ('P1', $1, $2, 'ItemPrice', 'Principal', $3, $4, ${dayAgo(ago)}, $5, 1)`,
        ++seq,
        refund ? 'Refund' : 'Order',
        refund ? `-${amount}` : amount,
        refund ? null : 2,
        sku,
      ),
    ),
  fc.record({ a: asin, amount: money, ago: fc.constantFrom(...DAYS_AGO) }).map(({ a, amount, ago }) =>
    w(
      `INSERT INTO returns_raw (order_id, return_date, marketplace, asin, quantity, refund_amount, load_id)
       VALUES ($1, ${dayAgo(ago)}, 'DE', $2, 1, $3, 1)`,
      `R-${++seq}`,
      a,
      amount,
    ),
  ),
  fc.record({ a: asin, amount: money, ago: fc.constantFrom(...DAYS_AGO) }).map(({ a, amount, ago }) =>
    w(
      `INSERT INTO reimbursements_raw (reimbursement_id, approval_date, marketplace, asin, amount_total, load_id)
       VALUES ($1, ${dayAgo(ago)}, 'DE', $2, $3, 1)`,
      `M-${++seq}`,
      a,
      amount,
    ),
  ),
  fc
    .record({ a: asin, units: fc.integer({ min: 1, max: 9 }), ago: fc.constantFrom(...DAYS_AGO) })
    .map(({ a, units, ago }) =>
      w(
        `INSERT INTO inventory_ledger_raw (row_hash, occurrence, event_date, asin, msku, event_type, quantity, country, load_id)
       VALUES (sha256($1::bytea), 1, ${dayAgo(ago)}, $2, 'S1', 'Shipments', $3, 'DE', 1)`,
        `L-${++seq}`,
        a,
        -units,
      ),
    ),
  fc
    .record({ vat: fc.constantFrom('0.19', '0.07'), registered: fc.boolean() })
    .map(({ vat, registered }) => ({
      ...w('UPDATE roi_settings SET vat_rate = $1, vat_registered = $2, changed_at = now()', vat, registered),
      settings: true as const,
    })),
);

const snapshot = async () =>
  (await tdb.db.pool.query('SELECT * FROM roi_offers ORDER BY vendor_id, sku')).rows as Record<
    string,
    unknown
  >[];

beforeAll(async () => {
  tdb = await createTestDatabase();
  const v = await tdb.db.pool.query(
    `INSERT INTO vendors (name, country, currency) VALUES ('Vendor 0', 'DE', 'EUR'), ('Vendor 1', 'PL', 'PLN'),
       ('Vendor 2', 'CN', 'USD') RETURNING id`,
  );
  vendorIds = v.rows.map((r) => Number(r.id));
  // a starting catalogue every kind of change can act on
  for (const text of [
    `INSERT INTO products (asin, title, category, weight_kg) SELECT a, 'Product ' || a, 'Toys', 0.5 FROM unnest($1::text[]) a`,
    `INSERT INTO product_identifiers (kind, value, asin) SELECT 'EAN', g, a FROM unnest($1::text[], $2::text[]) x (a, g)`,
    `INSERT INTO fees (marketplace, asin, referral, fulfilment, currency, source, captured_at)
     SELECT 'DE', a, 3.00, 2.70, 'EUR', 'manual', now() FROM unnest($1::text[]) a`,
    `INSERT INTO buybox_history (marketplace, asin, captured_at, price, currency, source)
     SELECT 'DE', a, now(), 29.99, 'EUR', 'keepa' FROM unnest($1::text[]) a`,
  ]) {
    await tdb.db.pool.query(text, [ASINS, GTINS].slice(0, text.includes('$2') ? 2 : 1));
  }
  await tdb.db.pool.query(
    `INSERT INTO fx_rates (currency, as_of, rate, source) VALUES ('PLN', '2031-06-01', 0.23, 'ecb'), ('USD', '2031-06-01', 0.92, 'ecb');
     INSERT INTO logistics_rates (carrier, origin, dest, service, eur_per_kg) VALUES ('DHL', 'DE', 'DE', 'standard', 0.45)`,
  );
  await tdb.db.pool.query(
    `INSERT INTO vendor_prices (vendor_id, sku, asin, barcode, cost, currency)
     SELECT v, s, CASE WHEN v = $2 AND s = 'S6' THEN NULL ELSE ($1::text[])[1 + i % 10] END,
            ($3::text[])[1 + i % 10], 9.50, (ARRAY['EUR', 'PLN', 'USD'])[1 + (v - $6) % 3]
     FROM unnest($4::bigint[]) v, unnest($5::text[]) WITH ORDINALITY x (s, i)`,
    [ASINS, vendorIds[2], GTINS, vendorIds, SKUS, vendorIds[0]],
  );
  await updateRoi(tdb.db, { clock, reason: 'test:start' });
});

afterAll(async () => {
  await tdb?.drop();
});

describe('ROI kept by change', () => {
  it('leaves the same rows as a rebuild after any sequence of changes', async () => {
    expect((await snapshot()).length).toBeGreaterThan(10);
    await fc.assert(
      // bulk 0: every price write notes its vendors, as a write of more than awa.roi_bulk_rows does
      fc.asyncProperty(
        fc.array(change, { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        async (changes, bulk) => {
          const c = await tdb.db.pool.connect();
          try {
            await c.query("SELECT set_config('awa.roi_bulk_rows', $1, false)", [bulk ? '0' : '']);
            for (const x of changes) await c.query(x.text, x.values);
          } finally {
            c.release(true);
          }
          // never fall back to a rebuild for a share of the catalogue: this tiny one is all one share
          const r = await updateRoi(tdb.db, { clock, reason: 'test:changes', rebuildAbove: 100 });
          expect(r.mode).toBe(changes.some((c) => c.settings) ? 'rebuild' : 'changes');
          const kept = await snapshot();
          const rebuilt = await updateRoi(tdb.db, { clock, reason: 'test:rebuild', rebuild: true });
          expect(await snapshot()).toEqual(kept);
          expect({ deleted: rebuilt.deleted, inserted: rebuilt.inserted }).toEqual({
            deleted: 0,
            inserted: 0,
          });
        },
      ),
      { numRuns: 100 },
    );
  }, 240_000);
});
