import { setTimeout as delay } from 'node:timers/promises';

/** Waits `ms`; rejects with the signal's reason when it aborts. Injected so tests never wait. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) => delay(Math.max(0, ms), undefined, { signal });

// 429 and the transient gateway/overload codes; other 4xx mean the request itself is wrong.
const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return RETRY_STATUS.has(status);
}

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * a random delay in [0, min(max, base·2^(retry-1))), so clients that failed together spread out.
 */
export function backoffDelay(retry: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * `Retry-After` as milliseconds from now (RFC 9110 §10.2.3: delta-seconds or an HTTP-date);
 * undefined when absent or unreadable. A date in the past means "now".
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value == null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
