import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  insertLedgerShipments,
  insertListing,
  insertLogisticsRate,
  insertReturn,
  insertVendor,
  insertVendorPrice,
  isoDay,
  nextSeq,
} from '../../../test/factories/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { loadConfig } from '../../platform/config.ts';
import { type RoiSettings, roiSettingsFrom, updateRoi } from './roi.service.ts';
import { removeVatRate, setVatRates } from './vat.service.ts';
import { vatPolicy } from './vat.ts';

// Every product is the factory default unless a test says otherwise: buy box 29.99 (gross), fees
// 3.00 + 3.50 + 0.20 = 6.70, 0.5 kg × 2.00 €/kg = freight 1.00, vendor cost 10.00.

let tdb: TestDatabase;
const query = async (text: string, values: unknown[] = []) => (await tdb.db.pool.query(text, values)).rows;
const DE: RoiSettings = {
  marketplace: 'DE',
  currency: 'EUR',
  vatRate: 0.19,
  vatRegistered: true,
  destCountry: 'DE',
  lane: { carrier: 'DHL', origin: 'DE', dest: 'DE', service: 'standard' },
};
const refresh = (over: Partial<RoiSettings> = {}) =>
  updateRoi(tdb.db, { settings: { ...DE, ...over }, reason: 'test' });

async function offer(listing: Parameters<typeof insertListing>[1] = {}, cost = '10.00') {
  const { asin } = await insertListing(tdb.db, listing);
  const v = await insertVendor(tdb.db);
  await insertVendorPrice(tdb.db, { vendor_id: v.id, asin, cost });
  return asin;
}

const rowOf = async (asin: string) =>
  (
    await query(
      `SELECT price, unit_cost, fees, other, profit, roi_pct, vat_rate, vat_source, vat_registered, flags,
              returns_allowance
       FROM roi_offers WHERE asin = $1`,
      [asin],
    )
  )[0];

beforeAll(async () => {
  tdb = await createTestDatabase();
  await insertLogisticsRate(tdb.db, { eur_per_kg: '2.00' });
});
afterAll(async () => {
  await tdb.drop();
});

describe('the VAT policy', () => {
  const policy = (env: Record<string, string>) => vatPolicy(loadConfig(env));

  it("defaults to the marketplace's standard rate, registered where prices include VAT", () => {
    expect(policy({})).toEqual({ rate: 0.19, registered: true }); // DE
    const rates = Object.fromEntries(
      ['FR', 'IT', 'ES', 'NL', 'BE', 'PL', 'SE', 'UK', 'US', 'CA', 'MX'].map((m) => [
        m,
        policy({ AWA_MARKETPLACE: m }).rate,
      ]),
    );
    expect(rates).toEqual({
      FR: 0.2,
      IT: 0.22,
      ES: 0.21,
      NL: 0.21,
      BE: 0.21,
      PL: 0.23,
      SE: 0.25,
      UK: 0.2,
      US: 0,
      CA: 0,
      MX: 0,
    });
    // sales tax is added on top of US prices: there is nothing to register for
    expect(policy({ AWA_MARKETPLACE: 'US', AWA_CURRENCY: 'USD' }).registered).toBe(false);
  });

  it('lets VAT_RATE and VAT_REGISTERED override, and refuses a percentage', () => {
    expect(policy({ VAT_RATE: '0.1' })).toEqual({ rate: 0.1, registered: true });
    expect(policy({ VAT_REGISTERED: 'false' })).toEqual({ rate: 0.19, registered: false });
    expect(policy({ VAT_RATE: '0' })).toEqual({ rate: 0, registered: false });
    expect(() => loadConfig({ VAT_RATE: '19' })).toThrow(/VAT_RATE="19": must be a fraction below 1/);
    expect(roiSettingsFrom(loadConfig({ AWA_MARKETPLACE: 'FR' }))).toMatchObject({
      vatRate: 0.2,
      vatRegistered: true,
    });
  });
});

describe('ROI with VAT', () => {
  it('a registered seller earns the net price: 29.99 / 1.19 = 25.2017', async () => {
    const asin = await offer();
    await refresh();
    // profit = 25.2017 − 6.70 − 10.00 − 1.00 = 7.5017; roi = 100 × 7.5017 / 11.00 = 68.2 (gross: 111.7)
    expect(await rowOf(asin)).toMatchObject({
      price: '25.2017',
      unit_cost: '10.0000',
      profit: '7.5017',
      roi_pct: '68.2',
      vat_rate: '0.1900',
      vat_source: 'marketplace',
      vat_registered: true,
    });
  });

  it('a seller not registered earns the gross price and pays VAT on the vendor cost', async () => {
    const asin = await offer();
    await refresh({ vatRegistered: false });
    // unit cost 10.00 × 1.19 = 11.90; profit = 29.99 − 6.70 − 11.90 − 1.00 = 10.39; roi 10.39 / 12.90
    expect(await rowOf(asin)).toMatchObject({
      price: '29.9900',
      unit_cost: '11.9000',
      profit: '10.3900',
      roi_pct: '80.5',
      vat_registered: false,
    });
  });

  it('takes a reduced rate per category, an ASIN’s own rate over it, and refreshes when they change', async () => {
    const books = await offer({ category: 'Books' });
    const atlas = await offer({ category: 'books' });
    const deps = { db: tdb.db, config: loadConfig({}) };
    await setVatRates(deps, {
      rates: [
        { scope: 'category', key: 'BOOKS', rate: '0.07', note: 'ermäßigt' },
        { scope: 'asin', key: atlas.toLowerCase(), rate: '0.1' },
      ],
    });
    // 29.99 / 1.07 = 28.0280; profit 10.3280, roi 93.9
    expect(await rowOf(books)).toMatchObject({
      price: '28.0280',
      roi_pct: '93.9',
      vat_rate: '0.0700',
      vat_source: 'category',
    });
    // 29.99 / 1.10 = 27.2636
    expect(await rowOf(atlas)).toMatchObject({ price: '27.2636', vat_rate: '0.1000', vat_source: 'asin' });
    await removeVatRate(deps, { scope: 'asin', key: atlas });
    expect(await rowOf(atlas)).toMatchObject({ vat_rate: '0.0700', vat_source: 'category' });
    await expect(removeVatRate(deps, { scope: 'asin', key: atlas })).rejects.toMatchObject({
      kind: 'not_found',
    });
  });

  it('refuses bad reduced rates, all or none, naming each entry', async () => {
    const deps = { db: tdb.db, config: loadConfig({}) };
    const before = await query('SELECT count(*)::int AS n FROM vat_rates');
    const err = await setVatRates(deps, {
      rates: [
        { scope: 'category', key: 'Grocery', rate: '0.07' },
        { scope: 'category', key: 'Baby', rate: '7' },
        { scope: 'asin', key: 'not-an-asin', rate: '0.1' },
        { scope: 'brand', key: 'Acme', rate: '0.1' },
      ],
    }).catch((e) => e);
    expect(err).toMatchObject({ kind: 'invalid' });
    expect(err.message).toContain('rates[1].rate "7": must be a fraction below 1');
    expect(err.message).toContain('rates[2].key "NOT-AN-ASIN": is not an ASIN');
    expect(err.message).toContain('rates[3].scope "brand": must be category or asin');
    expect(await query('SELECT count(*)::int AS n FROM vat_rates')).toEqual(before);
    const dry = await setVatRates(deps, {
      rates: [{ scope: 'category', key: 'Grocery', rate: '0.07' }],
      dry_run: true,
    });
    expect(dry).toMatchObject({ dry_run: true, inserted: 1 });
    expect(await query('SELECT count(*)::int AS n FROM vat_rates')).toEqual(before);
  });

  it('takes refunds net of VAT for a registered seller: the VAT refunded is reclaimed', async () => {
    const asin = await offer();
    // 11.90 refunded (gross) over 10 units shipped in the window
    await insertReturn(tdb.db, {
      asin,
      return_date: `${isoDay(-3)}T12:00:00Z`,
      quantity: 1,
      refund: '11.90',
    });
    await insertLedgerShipments(tdb.db, { sku: 'M', asin, days: { [isoDay(-3)]: 10 } });
    await refresh();
    expect((await rowOf(asin)).returns_allowance).toBe('1.0000'); // 11.90 / 1.19 / 10
    await refresh({ vatRegistered: false });
    expect((await rowOf(asin)).returns_allowance).toBe('1.1900');
  });
});

describe('fees that are really charged', () => {
  beforeEach(async () => {
    await refresh({ vatRate: 0 });
  });

  it('adds the other fees (variable closing fee) to the fees', async () => {
    const asin = await offer({ fees: { other: '0.81' } });
    await refresh({ vatRate: 0 });
    // fees 6.70 + 0.81 = 7.51; profit 29.99 − 7.51 − 11.00 = 11.48
    expect(await rowOf(asin)).toMatchObject({ fees: '7.5100', other: '0.8100', profit: '11.4800' });
  });

  it('flags an FBA offer without a fulfilment fee as fees_partial, never as a zero fee', async () => {
    const fba = await offer({ fees: { fulfilment: null } });
    const noReferral = await offer({ fees: { referral: null } });
    await refresh({ vatRate: 0 });
    for (const asin of [fba, noReferral]) {
      expect(await rowOf(asin)).toMatchObject({ flags: ['fees_partial'], roi_pct: null });
    }
  });

  it('does not flag a merchant-fulfilled listing, which pays no FBA fee', async () => {
    const mfn = await offer({ fees: { fulfilment: null } });
    await query(
      `INSERT INTO listings (marketplace, sku, asin, price, fulfillment_channel, status, load_id)
       VALUES ('DE', $1, $2, 29.99, 'MFN', 'active', 0)`,
      [`MFN-${nextSeq()}`, mfn],
    );
    await refresh({ vatRate: 0 });
    expect(await rowOf(mfn)).toMatchObject({ flags: [], roi_pct: '143.5' }); // (29.99 − 3.20 − 11) / 11
    // its FBA listing (AFN) makes it an FBA offer again
    await query(
      `INSERT INTO listings (marketplace, sku, asin, price, fulfillment_channel, status, load_id)
       VALUES ('DE', $1, $2, 29.99, 'AFN', 'active', 0)`,
      [`AFN-${nextSeq()}`, mfn],
    );
    await refresh({ vatRate: 0 });
    expect(await rowOf(mfn)).toMatchObject({ flags: ['fees_partial'], roi_pct: null });
  });
});
