import { type Clock, systemClock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import type { RoiSettings } from './roi.repo.ts';
import * as update from './roi.update.repo.ts';

export type { UpdateRecord } from './roi.update.repo.ts';

export interface UpdateOptions {
  /** The config-dependent inputs to store first (roiSettingsFrom(config)); a change reaches every offer. */
  settings?: RoiSettings;
  /** Why it ran, as recorded (`import`, `job:schedule`, `cli`…). */
  reason?: string;
  /** "Today" (UTC) of the freight lanes in force and the 90-day returns windows; else the real date. */
  clock?: Clock;
  /** Recompute every offer, whatever was noted (`awa roi rebuild`). */
  rebuild?: boolean;
  /**
   * When the changes reach more ASINs than this share of the stored offers, they are applied as a
   * rebuild: reading most ASINs one by one costs more than reading all of them in one pass. 0.1.
   */
  rebuildAbove?: number;
  /** Do all of it and roll it back: the same counts, nothing kept (the noted changes stay too). */
  dryRun?: boolean;
}

export interface UpdateResult extends update.UpdateRecord {
  dry_run: boolean;
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const REBUILD_SHARE = 0.1;

/**
 * Brings roi_offers up to date with what writers changed since the last run (SPEC §6). Every input
 * table's trigger noted the keys a write changed; this takes them, recomputes the offers of the ASINs
 * they reach and writes the rows that differ, in one transaction, so readers see all of a change or
 * none. It rebuilds every offer instead when asked, when a noted change reaches every offer (settings,
 * a truncated table), and on the first run of a new day, because the freight lanes in force and the
 * 90-day returns windows move with the date. With nothing noted it does no work and records nothing.
 * Call it after anything that changes ROI inputs; the scheduled job catches writers that do not.
 */
export async function updateRoi(db: Db, opts: UpdateOptions = {}): Promise<UpdateResult> {
  const today = isoDay((opts.clock ?? systemClock).now());
  // one transaction: the update's lock and settings (begin) hold for every step, and readers see all of
  // a change or none; a dry run does all of it and rolls it back, even the notes it took
  return withTransaction(
    db,
    async (c) => {
      const started = new Date();
      const t0 = performance.now();
      await update.begin(c, today);
      if (opts.settings) await update.writeSettings(c, opts.settings);
      const taken = await update.takeChanges(c);
      let rebuild = opts.rebuild || taken.all || (await update.lastRebuildDay(c)) !== today;
      let scope = 0;
      // the offers the last recorded run left: the base of a run of changes' count
      let recorded = 0;
      if (!rebuild && taken.keys > 0) {
        recorded = await update.lastRows(c);
        scope = await update.scopeFromChanges(c);
        rebuild = scope > (opts.rebuildAbove ?? REBUILD_SHARE) * (await update.estimateOffers(c, recorded));
      }
      const done = (counts: { deleted: number; inserted: number; asins: number }, rows: number | null) => ({
        mode: rebuild ? ('rebuild' as const) : ('changes' as const),
        started_at: started,
        finished_at: new Date(),
        duration_ms: Math.round(performance.now() - t0),
        rows,
        keys: taken.keys,
        ...counts,
        dry_run: opts.dryRun === true,
      });
      // nothing noted, or nothing noted that reaches an offer (a buy box of an ASIN nobody sells)
      if (!rebuild && scope === 0) return done({ deleted: 0, inserted: 0, asins: 0 }, null);
      const { offers, ...changed } = await update.writeDifferences(c, !rebuild);
      // a rebuild computed every offer, which is what the table now holds
      const rows = rebuild ? offers : recorded + changed.inserted - changed.deleted;
      const result = done(changed, rows);
      if (!opts.dryRun) await update.record(c, result, opts.reason ?? 'manual', today);
      return result;
    },
    { rollback: opts.dryRun === true },
  );
}
