import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/pool.ts';
import { SYNC_TYPES, syncTypeOf } from './catalogue.ts';
import { notConfigured } from './sync.clients.ts';
import { ageMs, isFresh } from './sync.plan.ts';
import * as repo from './sync.repo.ts';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const HOUR = 3_600_000;

export interface SyncTypeInfo {
  type: string;
  name: string;
  report_type: string;
  every_hours: number;
  freshness_hours: number;
  windowed: boolean;
  max_window_days: number | null;
  backfill_days: number | null;
  overlap_hours: number | null;
  listed: boolean;
}

export interface SyncStatusItem {
  type: string;
  name: string;
  marketplace: string;
  /** The newest report's data window (null for snapshots). */
  last_window: { start: string; end: string } | null;
  /** Watermark: the end of the data loaded so far (windowed types). */
  data_to: string | null;
  last_success_at: string | null;
  next_run_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
  /** Rows loaded by the last report, and over all reports. */
  last_rows: number | null;
  rows_loaded: number;
  /** The newest report: Amazon's reportId and how it ended (or where it is). */
  last_report_id: string | null;
  last_report_status: string | null;
  /** Within its freshness target now. */
  fresh: boolean;
  age_hours: number | null;
}

export interface SyncStatus {
  configured: boolean;
  reason: string | null;
  types: SyncTypeInfo[];
  items: SyncStatusItem[];
}

const hours = (ms: number) => Math.round((ms / HOUR) * 100) / 100;

/** Per report type and marketplace: last window, last success, next run, last error, rows loaded. */
export async function syncStatus(deps: { db: Db; clock: Clock; config: Config }): Promise<SyncStatus> {
  const now = deps.clock.now();
  const [states, last] = await Promise.all([repo.listStates(deps.db.pool), repo.lastRequests(deps.db.pool)]);
  const lastOf = new Map(last.map((r) => [`${r.report_type} ${r.marketplace}`, r]));
  const order = new Map(SYNC_TYPES.map((t, i) => [t.spType, i]));
  const items = states
    .filter((s) => syncTypeOf(s.report_type))
    .sort(
      (a, b) =>
        order.get(a.report_type)! - order.get(b.report_type)! || a.marketplace.localeCompare(b.marketplace),
    )
    .map((s): SyncStatusItem => {
      const t = syncTypeOf(s.report_type)!;
      const r = lastOf.get(`${s.report_type} ${s.marketplace}`);
      const age = ageMs(t, s, now);
      return {
        type: t.spType,
        name: t.name,
        marketplace: s.marketplace,
        last_window:
          r?.window_start && r.window_end ? { start: iso(r.window_start)!, end: iso(r.window_end)! } : null,
        data_to: iso(s.data_to),
        last_success_at: iso(s.last_success_at),
        next_run_at: iso(s.next_run_at),
        last_error: s.last_error,
        last_error_at: iso(s.last_error_at),
        last_rows: s.last_rows,
        rows_loaded: Number(s.rows_loaded),
        last_report_id: r?.report_id ?? null,
        last_report_status: r?.status ?? null,
        fresh: isFresh(t, s, now),
        age_hours: age === null ? null : hours(age),
      };
    });
  const reason = notConfigured(deps.config) ?? null;
  return {
    configured: reason === null,
    reason,
    types: SYNC_TYPES.map((t) => ({
      type: t.spType,
      name: t.name,
      report_type: t.type,
      every_hours: hours(t.everyMs),
      freshness_hours: hours(t.freshnessMs),
      windowed: t.window !== null && !t.listed,
      max_window_days: t.window && !t.listed ? t.window.maxMs / 24 / HOUR : null,
      backfill_days: t.window ? t.window.backfillMs / 24 / HOUR : null,
      overlap_hours: t.window ? hours(t.window.overlapMs) : null,
      listed: t.listed === true,
    })),
    items,
  };
}
