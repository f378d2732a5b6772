import type { SyncType } from './catalogue.ts';
import type { StateRow } from './sync.repo.ts';

/** Pure rules of the sync: when a (type, marketplace) is due, which data window it asks for next. */

const DAY = 86_400_000;

export interface Window {
  start: Date;
  end: Date;
}

/** Due when never run, when its next run has come, or when the caller forces it (`awa sync run`). */
export function isDue(state: StateRow | undefined, now: Date, force: boolean): boolean {
  if (force || !state?.next_run_at) return true;
  return state.next_run_at.getTime() <= now.getTime();
}

/**
 * The next data window of a windowed type: from the watermark less the overlap (late rows), or on
 * the first run from `backfill` ago (or `since`), to the last midnight (UTC), cut at the longest
 * window Amazon takes.
 * A caller continuing a backfill within one run passes the end it just loaded as `from`.
 */
export function nextWindow(
  t: SyncType,
  state: Pick<StateRow, 'data_to'> | undefined,
  now: Date,
  opts: { since?: Date; from?: Date } = {},
): Window | null {
  const rule = t.window;
  if (!rule) return null;
  // windows end at a UTC midnight: Amazon settles these reports by the day, and a day asked for
  // whole is asked for once (a window ending mid-day would be asked for again the next day)
  const endMs = Math.floor(now.getTime() / DAY) * DAY;
  let start: number;
  if (opts.from) start = opts.from.getTime();
  else if (opts.since) start = opts.since.getTime();
  else if (state?.data_to) start = state.data_to.getTime() - rule.overlapMs;
  else start = endMs - rule.backfillMs;
  // a window that would only repeat the overlap brings nothing new: wait for the next day
  if (!t.listed && !opts.from && !opts.since && state?.data_to && endMs <= state.data_to.getTime())
    return null;
  // never asks for more history than the backfill (what Amazon keeps), nor for the future
  start = Math.max(start, endMs - rule.backfillMs);
  if (start >= endMs) return null;
  return { start: new Date(start), end: new Date(Math.min(start + rule.maxMs, endMs)) };
}

/** How old the data is: the watermark for windowed types, the last success for snapshots. */
export function ageMs(t: SyncType, state: StateRow | undefined, now: Date): number | null {
  const at = t.window && !t.listed ? state?.data_to : state?.last_success_at;
  return at ? now.getTime() - at.getTime() : null;
}

export function isFresh(t: SyncType, state: StateRow | undefined, now: Date): boolean {
  const age = ageMs(t, state, now);
  return age !== null && age <= t.freshnessMs;
}
