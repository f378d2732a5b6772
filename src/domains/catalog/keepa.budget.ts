/**
 * Keepa sells tokens, not requests: a plan refills `refillRate` tokens every minute (unused ones
 * expire after an hour), each answer reports what is left, and a request is charged per product.
 * This decides, from the last figures Keepa reported, how many ASINs the next request may carry
 * without going over the budget, or how long to wait for the refill. It never guesses a balance:
 * after a wait the caller asks Keepa again (GET /token is free) before sending anything.
 */

/** Keepa's limit for one /product request (SPEC §5). */
export const MAX_BATCH = 100;
/**
 * What one ASIN costs until Keepa has told us: 1 token per product plus 2 for the buy box data
 * (`buybox=1`, without which Keepa sends no BUY_BOX_SHIPPING history). Erring high only delays the
 * first request; afterwards the cost is learnt from `tokensConsumed`.
 */
export const INITIAL_COST_PER_ASIN = 3;
/** Keepa refills on its own clock: waking a moment after the refill, not before, avoids a 429. */
export const REFILL_MARGIN_MS = 1_000;
const MINUTE = 60_000;

export interface TokenStatus {
  tokensLeft: number;
  /** Milliseconds until the next refill. */
  refillIn: number;
  /** Tokens added per refill (one per minute). */
  refillRate: number;
}

export type Plan =
  | { kind: 'send'; size: number; cost: number }
  | { kind: 'wait'; ms: number; need: number }
  | { kind: 'exhausted' };

export class TokenBudget {
  private status: TokenStatus = { tokensLeft: 0, refillIn: MINUTE, refillRate: 0 };
  costPerAsin = INITIAL_COST_PER_ASIN;

  observe(status: TokenStatus): void {
    this.status = { ...status };
  }

  get tokensLeft(): number {
    return this.status.tokensLeft;
  }

  /** Learns the real price of an ASIN from what a request was charged. */
  charged(asins: number, tokensConsumed: number): void {
    if (asins > 0 && tokensConsumed > 0) this.costPerAsin = Math.max(1, Math.ceil(tokensConsumed / asins));
  }

  /**
   * The next step for `remaining` ASINs. A request carries at least one minute's refill worth of
   * ASINs (or all that remain), so a small plan is not spent one token per HTTP call, and never more
   * than the tokens Keepa said are left.
   */
  plan(remaining: number): Plan {
    const { tokensLeft, refillIn, refillRate } = this.status;
    const cost = this.costPerAsin;
    const want = Math.min(MAX_BATCH, remaining);
    const least = Math.min(want, Math.max(1, Math.floor(refillRate / cost)));
    const affordable = Math.floor(Math.max(0, tokensLeft) / cost);
    if (affordable >= least) {
      const size = Math.min(want, affordable);
      return { kind: 'send', size, cost: size * cost };
    }
    if (refillRate <= 0) return { kind: 'exhausted' };
    const need = least * cost - tokensLeft;
    const refills = Math.ceil(need / refillRate);
    return { kind: 'wait', ms: Math.max(0, refillIn) + (refills - 1) * MINUTE + REFILL_MARGIN_MS, need };
  }
}
