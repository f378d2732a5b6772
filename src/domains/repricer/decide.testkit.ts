import { type Decision, type DecisionInput, decide, type PricedDecision } from './decide.ts';

/** decide()'s inputs for the repricer's unit tests (decide.test.ts, decide.floor.test.ts). */

// landed 10, min_roi 0.15 → 11.50; + fulfilment 3 + storage 0.50 = 15.00; referral 1.50/10.00 = 0.15
// → 15 / 0.85 = 17.647… → floor 17.65.
export function input(over: Partial<DecisionInput> = {}): DecisionInput {
  return {
    sku: 'SKU-1',
    asin: 'B000TEST01',
    currency: 'GBP',
    current_price: '20.00',
    landed_cost: '10.00',
    fees: { referral: '1.50', fulfilment: '3.00', storage: '0.50', price_basis: '10.00' },
    vat_rate: 0,
    rule: { strategy: 'beat_buybox', enabled: true },
    settings: {},
    market: { buybox_price: '19.50', we_hold_buybox: false, buybox_drops_24h: 0 },
    stock: {},
    ...over,
  };
}

export function priced(d: Decision): PricedDecision {
  if (d.skipped) throw new Error(`expected a priced decision, got skip: ${d.reason}`);
  return d;
}

export const run = (over: Partial<DecisionInput> = {}) => priced(decide(input(over)));
export const minRoi = (over: Partial<DecisionInput> = {}) =>
  run({ rule: { strategy: 'min_roi' }, current_price: '17.00', ...over });
