import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  insertFxRate,
  insertListing,
  insertLogisticsRate,
  insertVendor,
  insertVendorPrice,
  isoDay,
} from '../../../test/factories/index.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { type RoiSettings, updateRoi } from './roi.service.ts';

let tdb: TestDatabase;
const BASE: RoiSettings = {
  marketplace: 'DE',
  currency: 'EUR',
  vatRate: 0,
  vatRegistered: true,
  destCountry: 'DE',
  lane: { carrier: 'DHL', origin: 'DE', dest: 'DE', service: 'standard' },
};
const ids: Record<string, { vendor_id: number; sku: string; asin: string }> = {};

async function refresh(over: Partial<RoiSettings> = {}) {
  return updateRoi(tdb.db, { settings: { ...BASE, ...over }, reason: 'test' });
}

/** The view row as PostgreSQL returns it: numerics as exact strings. */
async function row(key: string) {
  const k = ids[key]!;
  const { rows } = await tdb.db.pool.query('SELECT * FROM roi_offers WHERE vendor_id = $1 AND sku = $2', [
    k.vendor_id,
    k.sku,
  ]);
  return rows[0];
}

/** One vendor (country/currency given) offering one new listing. */
async function scenario(
  key: string,
  o: {
    country?: string | null;
    currency?: string;
    cost?: string;
    pack_size?: number;
    listing?: Parameters<typeof insertListing>[1];
  } = {},
) {
  const v = await insertVendor(tdb.db, { country: o.country === undefined ? 'DE' : o.country });
  const { asin } = await insertListing(tdb.db, o.listing ?? {});
  const p = await insertVendorPrice(tdb.db, {
    vendor_id: v.id,
    asin,
    cost: o.cost ?? '10.00',
    currency: o.currency ?? 'EUR',
    pack_size: o.pack_size,
  });
  ids[key] = { vendor_id: v.id, sku: p.sku, asin };
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  await insertLogisticsRate(tdb.db, { eur_per_kg: '2.00' }); // DHL:DE:DE:standard, always in force
  await insertFxRate(tdb.db, { currency: 'USD', rate: '0.80', as_of: isoDay(-10) });
  await insertFxRate(tdb.db, { currency: 'USD', rate: '0.92', as_of: isoDay(-1) }); // latest wins
  await scenario('basic');
  await scenario('usd', { country: 'US', currency: 'USD', cost: '12.50', listing: { buybox: '34.99' } });
  await scenario('case', {
    cost: '5.0000', // the importer stored 60.00 per case of 12 as 5.0000 per unit
    pack_size: 12,
    listing: {
      weight_kg: '0.25',
      buybox: '19.99',
      fees: { referral: '2.00', fulfilment: '2.50', storage: '0.10' },
    },
  });
  await scenario('fx_missing', { currency: 'GBP' });
  await scenario('fees_missing', { listing: { fees: null } });
  await scenario('no_buybox', { listing: { buybox: null } });
  await scenario('weight_missing', { listing: { weight_kg: null } });
  await scenario('far_away', { country: 'CN' }); // no CN lane: default lane, or freight_missing
  await scenario('no_country', { country: null });
});

afterAll(async () => {
  await tdb.drop();
});

describe('landed cost and ROI formula', () => {
  it('computes the EUR example by hand', async () => {
    await refresh();
    // unit_cost 10.00; freight 0.5 kg × 2.00 €/kg = 1.00; fees 3.00 + 3.50 + 0.20 = 6.70; price 29.99
    // profit 29.99 − 6.70 − 10.00 − 1.00 = 12.29; roi 100 × 12.29 / 11.00 = 111.727 → 111.7;
    // margin 100 × 12.29 / 29.99 = 40.98 → 41.0
    expect(await row('basic')).toMatchObject({
      unit_cost: '10.0000',
      cost_fx_rate: '1',
      lane: 'DHL:DE:DE:standard',
      freight: '1.0000',
      referral: '3.0000',
      fulfilment: '3.5000',
      storage: '0.2000',
      fees: '6.7000',
      buybox_price: '29.99',
      price: '29.9900',
      returns_allowance: '0',
      profit: '12.2900',
      roi_pct: '111.7',
      margin_pct: '41.0',
      flags: [],
      best: true,
      asin_source: 'vendor',
    });
  });

  it('converts a USD cost at the latest fx rate; a country without a lane uses the default', async () => {
    await refresh();
    // unit_cost 12.50 USD × 0.92 (latest rate, not the older 0.80) = 11.50; freight 1.00 (default lane)
    // profit 34.99 − 6.70 − 11.50 − 1.00 = 15.79; roi 100 × 15.79 / 12.50 = 126.32 → 126.3;
    // margin 100 × 15.79 / 34.99 = 45.127 → 45.1
    expect(await row('usd')).toMatchObject({
      cost: '12.5000',
      cost_currency: 'USD',
      cost_fx_rate: '0.92000000',
      unit_cost: '11.5000',
      lane: 'DHL:DE:DE:standard',
      freight: '1.0000',
      profit: '15.7900',
      roi_pct: '126.3',
      margin_pct: '45.1',
      flags: [],
    });
  });

  it('prices net of VAT when VAT_RATE > 0', async () => {
    await refresh({ vatRate: 0.19 });
    // price 29.99 / 1.19 = 25.20168 → 25.2017; profit 25.2017 − 6.70 − 10.00 − 1.00 = 7.5017;
    // roi 100 × 7.5017 / 11.00 = 68.197 → 68.2; margin 100 × 7.5017 / 25.2017 = 29.767 → 29.8
    expect(await row('basic')).toMatchObject({
      vat_rate: '0.1900',
      buybox_price: '29.99',
      price: '25.2017',
      profit: '7.5017',
      roi_pct: '68.2',
      margin_pct: '29.8',
    });
    await refresh();
    expect((await row('basic')).roi_pct).toBe('111.7');
  });

  it('takes a case-pack offer at its stored per-unit cost', async () => {
    await refresh();
    // unit_cost 5.00 (60.00 / 12, stored per unit); freight 0.25 kg × 2.00 = 0.50; fees 2.00 + 2.50 + 0.10
    // = 4.60; profit 19.99 − 4.60 − 5.00 − 0.50 = 9.89; roi 100 × 9.89 / 5.50 = 179.82 → 179.8;
    // margin 100 × 9.89 / 19.99 = 49.47 → 49.5
    expect(await row('case')).toMatchObject({
      pack_size: 12,
      unit_cost: '5.0000',
      freight: '0.5000',
      fees: '4.6000',
      profit: '9.8900',
      roi_pct: '179.8',
      margin_pct: '49.5',
    });
  });
});

describe('flags: each keeps the other columns and leaves roi_pct null', () => {
  it('fx_missing: a currency without any rate', async () => {
    await refresh();
    expect(await row('fx_missing')).toMatchObject({
      flags: ['fx_missing'],
      cost: '10.0000',
      cost_currency: 'GBP',
      unit_cost: null,
      freight: '1.0000',
      fees: '6.7000',
      price: '29.9900',
      profit: null,
      roi_pct: null,
    });
  });

  it('fees_missing: no fees row', async () => {
    await refresh();
    expect(await row('fees_missing')).toMatchObject({
      flags: ['fees_missing'],
      unit_cost: '10.0000',
      freight: '1.0000',
      fees: null,
      price: '29.9900',
      roi_pct: null,
    });
  });

  it('no_buybox: no buy box price', async () => {
    await refresh();
    expect(await row('no_buybox')).toMatchObject({
      flags: ['no_buybox'],
      unit_cost: '10.0000',
      fees: '6.7000',
      price: null,
      profit: null,
      roi_pct: null,
      margin_pct: null,
    });
  });

  it('weight_missing: freight counts as 0', async () => {
    await refresh();
    // profit 29.99 − 6.70 − 10.00 − 0 = 13.29 (shown, but incomplete: no roi); margin 1329 / 29.99 = 44.3
    expect(await row('weight_missing')).toMatchObject({
      flags: ['weight_missing'],
      weight_kg: null,
      lane: 'DHL:DE:DE:standard',
      freight: '0',
      profit: '13.2900',
      roi_pct: null,
      margin_pct: '44.3',
    });
  });

  it('freight_missing: no lane from the vendor country and no default lane in force', async () => {
    await refresh({ lane: { carrier: 'UPS', origin: 'DE', dest: 'DE', service: 'express' } });
    expect(await row('far_away')).toMatchObject({
      flags: ['freight_missing'],
      lane: null,
      freight: '0',
      unit_cost: '10.0000',
      fees: '6.7000',
      profit: '13.2900',
      roi_pct: null,
    });
    // a DE vendor still ships on the only DE→DE lane (the default's carrier has none there)
    expect(await row('basic')).toMatchObject({ lane: 'DHL:DE:DE:standard', roi_pct: '111.7' });
    await refresh(); // with the default lane back, the CN and country-less vendors use it
    expect(await row('far_away')).toMatchObject({ flags: [], lane: 'DHL:DE:DE:standard', roi_pct: '111.7' });
    expect(await row('no_country')).toMatchObject({
      flags: [],
      lane: 'DHL:DE:DE:standard',
      roi_pct: '111.7',
    });
  });
});
