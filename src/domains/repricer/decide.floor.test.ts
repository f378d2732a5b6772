import { describe, expect, it } from 'vitest';
import { input, minRoi, run } from './decide.testkit.ts';
import { decide } from './decide.ts';

describe('floor', () => {
  it('uses the ROI formula with the referral rate from the fee snapshot', () => {
    expect(minRoi().floor).toBe('17.65');
  });

  it('takes referral rate = referral / price_basis (0.80 / 10 = 8 %)', () => {
    // 15 / 0.92 = 16.3043… → 16.31 (rounded up: 16.30 would keep less than the minimum ROI)
    const d = minRoi({
      fees: { referral: '0.80', fulfilment: '3.00', storage: '0.50', price_basis: '10.00' },
    });
    expect(d.floor).toBe('16.31');
  });

  it('defaults the referral rate to 15 % when the fee snapshot has no price basis', () => {
    const d = minRoi({ fees: { referral: '4.00', fulfilment: '3.00', storage: '0.50' } });
    expect(d.floor).toBe('17.65');
  });

  it('charges the referral fee on the VAT-inclusive price: p = need / (1 / (1 + VAT) − rate)', () => {
    // 15 / (1/1.19 − 0.15) = 15 / 0.690336… = 21.7288… → 21.73; the old "÷ (1 − rate), × (1 + VAT)"
    // gave 15 / 0.85 × 1.19 = 21.00, 3.4 % too low, which keeps about 10 % ROI instead of 15 %
    expect(minRoi({ vat_rate: '0.19' }).floor).toBe('21.73');
    // 15 / (1/1.2 − 0.15) = 21.9512… → 21.96
    expect(minRoi({ vat_rate: '0.2' }).floor).toBe('21.96');
    // 15 / (1/1.05 − 0.15) = 18.6943… → 18.70
    expect(minRoi({ vat_rate: '0.05' }).floor).toBe('18.70');
    // VAT 0 (US, or a seller not registered): the price is all revenue
    expect(minRoi({ vat_rate: 0 }).floor).toBe('17.65');
  });

  it('pays for the other fees and the returns allowance ROI subtracts', () => {
    // (11.50 + 3.00 + 0.50 + other 0.80 + allowance 0.40) / 0.85 = 16.20 / 0.85 = 19.0588… → 19.06
    const fees = {
      referral: '1.50',
      fulfilment: '3.00',
      storage: '0.50',
      other: '0.80',
      price_basis: '10.00',
    };
    expect(minRoi({ fees, returns_allowance: '0.40' }).floor).toBe('19.06');
    expect(minRoi({ fees }).floor).toBe('18.59'); // 15.80 / 0.85 = 18.5882…
    expect(() => decide(input({ returns_allowance: '-1' }))).toThrow(/returns_allowance is negative/);
  });

  it('rounds the floor up, never to the nearest cent below the minimum ROI', () => {
    // min ROI 0: landed 8.51 / 0.85 = 10.0117…; 10.01 would keep 10.01 × 0.85 − 8.51 = −0.0015
    const d = minRoi({
      landed_cost: '8.51',
      current_price: '10.50',
      settings: { min_roi: '0' },
      fees: { referral: '1.50', price_basis: '10.00' },
    });
    expect(d.floor).toBe('10.02');
  });

  it('skips, with the reason, a listing whose referral rate leaves no revenue at any price', () => {
    const d = decide(
      input({ vat_rate: '0.25', fees: { referral: '8.50', fulfilment: '1', price_basis: '10.00' } }),
    );
    expect(d).toMatchObject({ skipped: true, changed: false, reason: expect.stringMatching(/no revenue/) });
  });

  it('uses settings.min_roi', () => {
    // landed 10 × 1.3 + 3.5 = 16.5 / 0.85 = 19.4117… → 19.42
    expect(minRoi({ settings: { min_roi: '0.30' } }).floor).toBe('19.42');
  });

  it('is the max of the ROI floor, rule min_price and MAP', () => {
    expect(minRoi({ rule: { strategy: 'min_roi', min_price: '18.00' } }).floor).toBe('18.00');
    expect(minRoi({ rule: { strategy: 'min_roi', min_price: '18.00', map_price: '18.99' } }).floor).toBe(
      '18.99',
    );
    expect(minRoi({ rule: { strategy: 'min_roi', min_price: '12.00' } }).floor).toBe('17.65');
  });

  it('works in whole yen for JPY', () => {
    // (1000 × 1.15 + 300 + 50) / 0.85 = 1764.70… → 1765
    const d = run({
      currency: 'JPY',
      current_price: 1800,
      landed_cost: 1000,
      fees: { referral: 150, fulfilment: 300, storage: 50, price_basis: 1000 },
      rule: { strategy: 'min_roi' },
    });
    expect(d).toMatchObject({ floor: '1765', final: '1765', old_price: '1800' });
  });
});
