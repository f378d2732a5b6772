/** Rate figures over the arrival times a fake recorded (ms, by whichever clock it was given). */

/** Most calls that arrived within any window of `windowMs`, per second (arrival times in ms). */
export function maxObservedRate(times: number[], windowMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < t.length; hi++) {
    while (t[hi]! - t[lo]! >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best / (windowMs / 1000);
}

/** Smallest gap between consecutive arrivals (Infinity for fewer than two). */
export function minGapMs(times: number[]): number {
  const t = [...times].sort((a, b) => a - b);
  let min = Number.POSITIVE_INFINITY;
  for (let i = 1; i < t.length; i++) min = Math.min(min, t[i]! - t[i - 1]!);
  return min;
}

/**
 * Calls that a usage plan's token bucket (Amazon's throttling model: `perSecond` refill, `burst`
 * capacity, full at the start) would have refused with 429, replaying the arrival times (ms).
 */
export function refusedByUsagePlan(times: number[], perSecond: number, burst: number): number {
  const t = [...times].sort((a, b) => a - b);
  let tokens = burst;
  let last = t[0] ?? 0;
  let refused = 0;
  for (const at of t) {
    tokens = Math.min(burst, tokens + ((at - last) * perSecond) / 1000);
    last = at;
    if (tokens >= 1) tokens -= 1;
    else refused++;
  }
  return refused;
}
