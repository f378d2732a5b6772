import { describe, expect, it } from 'vitest';
import { INITIAL_COST_PER_ASIN, MAX_BATCH, REFILL_MARGIN_MS, TokenBudget } from './keepa.budget.ts';

function budget(tokensLeft: number, refillRate: number, refillIn = 20_000, cost = 1): TokenBudget {
  const b = new TokenBudget();
  b.observe({ tokensLeft, refillRate, refillIn });
  b.costPerAsin = cost;
  return b;
}

describe('TokenBudget', () => {
  it('sends full batches of at most 100 while the balance covers them', () => {
    expect(budget(5000, 100).plan(250)).toEqual({ kind: 'send', size: MAX_BATCH, cost: 100 });
    expect(budget(5000, 100, 0, 3).plan(40)).toEqual({ kind: 'send', size: 40, cost: 120 });
  });

  it('sends what the balance affords once it covers a minute of refill', () => {
    expect(budget(45, 20).plan(250)).toEqual({ kind: 'send', size: 45, cost: 45 });
    expect(budget(45, 20, 0, 3).plan(250)).toEqual({ kind: 'send', size: 15, cost: 45 });
  });

  it('waits for the refill instead of sending a request the balance does not cover', () => {
    // 5 of the 20 tokens a minute's batch needs: one refill (in 20 s) brings 20 more
    expect(budget(5, 20).plan(250)).toEqual({ kind: 'wait', ms: 20_000 + REFILL_MARGIN_MS, need: 15 });
    // an ASIN of 3 tokens on a plan of 1 token a minute: three refills
    expect(budget(0, 1, 10_000, 3).plan(2)).toEqual({
      kind: 'wait',
      ms: 10_000 + 2 * 60_000 + REFILL_MARGIN_MS,
      need: 3,
    });
  });

  it('pays back a negative balance before sending', () => {
    // -50 (someone else overspent the key) + 20 per minute: 4 refills to reach the 20 a batch needs
    expect(budget(-50, 20, 1000).plan(100)).toEqual({
      kind: 'wait',
      ms: 1000 + 3 * 60_000 + REFILL_MARGIN_MS,
      need: 70,
    });
  });

  it('gives up when Keepa reports no refill at all', () => {
    expect(budget(0, 0).plan(10)).toEqual({ kind: 'exhausted' });
  });

  it('starts with the documented cost and learns the real one from tokensConsumed', () => {
    const b = new TokenBudget();
    expect(b.costPerAsin).toBe(INITIAL_COST_PER_ASIN);
    b.charged(100, 100);
    expect(b.costPerAsin).toBe(1);
    b.charged(10, 25);
    expect(b.costPerAsin).toBe(3);
    b.charged(10, 0);
    expect(b.costPerAsin).toBe(3);
  });
});
