import { describe, expect, it } from 'vitest';
import { syncTypeInput } from './catalogue.ts';
import { isDue, nextWindow } from './sync.plan.ts';
import type { StateRow } from './sync.repo.ts';

const DAY = 86_400_000;
const now = new Date('2026-11-28T10:00:00Z');
const midnight = Date.parse('2026-11-28T00:00:00Z');
const ledger = syncTypeInput('ledger');
const at = (ms: number) => new Date(ms).toISOString();
const win = (w: { start: Date; end: Date } | null) =>
  w && { start: at(w.start.getTime()), end: at(w.end.getTime()) };

describe('nextWindow', () => {
  it('first run: the backfill from 90 days before the last midnight, one 30-day window at a time', () => {
    expect(win(nextWindow(ledger, undefined, now))).toEqual({
      start: at(midnight - 90 * DAY),
      end: at(midnight - 60 * DAY),
    });
    expect(win(nextWindow(ledger, undefined, now, { from: new Date(midnight - 30 * DAY) }))).toEqual({
      start: at(midnight - 30 * DAY),
      end: at(midnight),
    });
  });

  it('later: from the watermark less the overlap; nothing while no new day exists', () => {
    const day1 = { data_to: new Date(midnight - DAY) };
    expect(win(nextWindow(ledger, day1, now))).toEqual({ start: at(midnight - 3 * DAY), end: at(midnight) });
    expect(nextWindow(ledger, { data_to: new Date(midnight) }, now)).toBeNull();
    expect(nextWindow(ledger, { data_to: new Date(midnight) }, now, { from: new Date(midnight) })).toBeNull();
  });

  it('--since is kept within the backfill; snapshots have no window', () => {
    expect(win(nextWindow(ledger, undefined, now, { since: new Date(midnight - 400 * DAY) }))?.start).toBe(
      at(midnight - 90 * DAY),
    );
    expect(nextWindow(syncTypeInput('listings'), undefined, now)).toBeNull();
  });
});

describe('isDue', () => {
  it('never run, or its time has come, or forced', () => {
    const s = { next_run_at: new Date(now.getTime() + 1000) } as StateRow;
    expect(isDue(undefined, now, false)).toBe(true);
    expect(isDue(s, now, false)).toBe(false);
    expect(isDue(s, new Date(now.getTime() + 1000), false)).toBe(true);
    expect(isDue(s, now, true)).toBe(true);
  });
});
