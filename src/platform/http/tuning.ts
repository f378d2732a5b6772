import { type Clock, systemClock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { Sleep } from './retry.ts';

/** Knobs for tests and benches: virtual time, deterministic jitter, shorter timeouts. */
export interface ClientTuning {
  clock?: Clock;
  sleep?: Sleep;
  random?: () => number;
  timeoutMs?: number;
  retries?: number;
}

/** The options every third-party API client of an agent shares (30 s per attempt, 3 retries). */
export function clientBase(t: ClientTuning = {}, env: { metrics?: Metrics; log?: Logger } = {}) {
  return {
    metrics: env.metrics,
    logger: env.log,
    clock: t.clock ?? systemClock,
    sleep: t.sleep,
    random: t.random,
    timeoutMs: t.timeoutMs ?? 30_000,
    retries: t.retries ?? 3,
  };
}
