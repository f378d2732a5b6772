import type { Db } from '../../platform/db/pool.ts';
import { type LoadSummary, runLoad } from '../../platform/load/index.ts';
import type { Logger } from '../../platform/logger.ts';
import { type Card, readRateCard } from './card.ts';
import { recordLoad, upsertRates } from './logistics.repo.ts';
import type { Snapshot } from './snapshot.ts';
import { validateCard } from './validate.ts';

// Enough to fix a card by; a card with thousands of bad rows repeats a few reasons.
export const MAX_REJECTIONS = 100;

/** A card's load: the base summary plus what the upsert did. */
export interface CardSummary extends LoadSummary {
  format: Card['format'] | null;
  /** Lanes new or changed. */
  upserted: number;
  /** Valid rows identical to the stored rate. */
  unchanged: number;
  /** Rejections beyond the first MAX_REJECTIONS. */
  rejections_omitted: number;
}

/**
 * One snapshot as a staged load (platform/load): the card is read and validated (invalid rows are
 * always skipped: SPEC §5), its rates upserted and the snapshot recorded in one transaction, all or
 * nothing per source; a dry run does the same and rolls back. Only the source's latest load counts
 * as done, so a card reverted to an older version is loaded again.
 */
export async function loadCard(
  deps: { db: Db; log: Logger; maxUncompressedBytes: number },
  source: string,
  snap: Snapshot & { seqno: string },
  dryRun: boolean,
): Promise<CardSummary> {
  return runLoad<CardSummary>({
    db: deps.db,
    log: deps.log,
    file: snap.file,
    fileName: snap.name,
    lock: `rate_card:${source}`,
    latestOnly: true,
    dryRun,
    skipInvalid: true,
    summary: (base) => ({ ...base, format: null, upserted: 0, unchanged: 0, rejections_omitted: 0 }),
    load: async ({ client, summary: s }) => {
      const card = await readRateCard(snap.file, {
        fileName: snap.name,
        maxUncompressedBytes: deps.maxUncompressedBytes,
      });
      // validated as a whole, not row by row: an overlap is only seen against the card's other rows
      const v = validateCard(card, snap.name);
      const omitted = Math.max(0, v.rejections.length - MAX_REJECTIONS);
      Object.assign(s, {
        format: card.format,
        rows: card.records.length,
        rejected: v.skipped,
        rejections: v.rejections.slice(0, MAX_REJECTIONS),
        rejections_truncated: omitted > 0,
        rejections_omitted: omitted,
      });
      s.upserted = await upsertRates(client, v.rows, source);
      s.unchanged = v.rows.length - s.upserted;
      await recordLoad(client, { source, seqno: snap.seqno, sha256: snap.sha256, rows: v.rows.length });
    },
  });
}
