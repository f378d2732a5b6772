import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config.ts';
import type { InputRow } from './inputs.repo.ts';
import { daysOfCover, percentToFraction, planListing, settingsFrom, weHoldBuybox } from './plan.ts';
import { validateRule } from './rules.ts';

const row = (over: Partial<InputRow> = {}): InputRow => ({
  sku: 'S-1',
  asin: 'B000000001',
  listing_price: '20.00',
  listing_quantity: 0,
  applied_price: null,
  current_price: '20.00',
  has_rule: false,
  min_price: null,
  max_price: null,
  map_price: null,
  strategy: null,
  step: null,
  enabled: null,
  landed_cost: '10.0000',
  returns_allowance: '0.0000',
  vat_rate: '0.0000',
  vat_registered: true,
  fees_partial: false,
  lead_time_days: null,
  has_fees: true,
  referral: '3.00',
  fulfilment: '3.00',
  storage: '0.00',
  other: null,
  price_basis: '20.00',
  fees_currency: 'EUR',
  fees_fx_missing: false,
  buybox: '19.50',
  buybox_drops_24h: 0,
  fulfillable: null,
  inbound: null,
  units_30d: null,
  ...over,
});
const settings = settingsFrom(loadConfig({}));

describe('settings and stock figures', () => {
  it('turns percentages into exact fractions', () => {
    expect(percentToFraction(10)).toBe('0.1');
    expect(percentToFraction(12.5)).toBe('0.125');
    expect(percentToFraction(14.3)).toBe('0.143');
    expect(percentToFraction(0.1)).toBe('0.001');
    expect(percentToFraction(100)).toBe('1');
    expect(settings).toMatchObject({ minRoi: '0.15', maxStepPct: '0.1', breakerPct: '0.2' });
  });

  it('days of cover = (fulfillable + inbound) × 30 / units sold in 30 days; unknown without sales', () => {
    expect(daysOfCover(row({ fulfillable: 10, inbound: 5, units_30d: 45 }))).toBe(10);
    expect(daysOfCover(row({ fulfillable: 10, units_30d: 0 }))).toBeNull();
    expect(daysOfCover(row({ units_30d: 30 }))).toBeNull();
  });

  it('we hold the buy box at or below it with stock, never without stock', () => {
    expect(weHoldBuybox(row({ current_price: '19.50', fulfillable: 1 }))).toBe(true);
    expect(weHoldBuybox(row({ current_price: '19.50', listing_quantity: 3 }))).toBe(true);
    expect(weHoldBuybox(row({ current_price: '19.50', fulfillable: 0, listing_quantity: 3 }))).toBe(false);
    expect(weHoldBuybox(row({ current_price: '19.51', fulfillable: 5 }))).toBe(false);
    expect(weHoldBuybox(row({ buybox: null, fulfillable: 5 }))).toBe(false);
  });
});

describe('planListing', () => {
  it('prices a listing with decide() (20.00 → beat 19.50 → 19.49, floor 17.06)', () => {
    expect(planListing(row(), settings)).toMatchObject({
      final_price: '19.49',
      floor: '17.06',
      changed: true,
      skipped: false,
      error: false,
      priced: { final: '19.49' },
    });
  });

  it('a bad rule is an error decision for that SKU, not a thrown error', () => {
    const d = planListing(row({ min_price: '30.00', max_price: '20.00' }), settings);
    expect(d).toMatchObject({ error: true, skipped: true, changed: false, final_price: '20.00' });
    expect(d.reason).toBe('repricer rule for S-1: min_price 30.00 > max_price 20.00');
    expect(d.priced).toBeUndefined();
  });

  it('leaves the price untouched without fees, without an fx rate for them, or without a buy box', () => {
    const noFees = planListing(row({ has_fees: false, referral: null, fulfilment: null }), settings);
    expect(noFees).toMatchObject({
      skipped: true,
      final_price: '20.00',
      reason: 'no fees for this ASIN: price untouched',
    });
    expect(noFees.priced).toBeUndefined();
    expect(planListing(row({ fees_fx_missing: true, fees_currency: 'GBP' }), settings).reason).toBe(
      'fees in GBP without an fx rate: price untouched',
    );
    expect(planListing(row({ buybox: null }), settings)).toMatchObject({
      skipped: true,
      changed: false,
      guards: ['no_buybox'],
      floor: '17.06',
    });
  });
});

describe('validateRule', () => {
  const v = (raw: Parameters<typeof validateRule>[0]) => validateRule(raw, { marketplace: 'DE' });

  it('reads locale decimals, defaults and booleans', () => {
    expect(v({ sku: ' S ', min_price: '1.234,50', max_price: 2000, enabled: 'nein' }).rule).toEqual({
      marketplace: 'DE',
      sku: 'S',
      min_price: '1234.5',
      max_price: '2000',
      map_price: null,
      strategy: 'beat_buybox',
      step: null,
      enabled: false,
    });
  });

  it('lists every problem', () => {
    const r = v({
      sku: '',
      min_price: '-1',
      step: '0',
      max_price: '1.0055',
      strategy: 'x',
      marketplace: 'Germany',
    });
    expect(r.rule).toBeUndefined();
    expect(r.problems.map((p) => `${p.field}: ${p.reason}`)).toEqual([
      'sku: is required',
      'marketplace: must be a 2-letter code such as DE',
      'min_price: must be ≥ 0',
      'max_price: has more than 2 decimals',
      'step: must be > 0',
      'strategy: must be one of match_buybox, beat_buybox, min_roi, hold',
    ]);
  });
});
