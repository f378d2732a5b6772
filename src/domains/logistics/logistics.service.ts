import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import { AppError, type ErrorKind, isAppError, messageOf } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import { type RoiSettings, updateRoi } from '../roi/roi.service.ts';
import { loadCard } from './card.load.ts';
import { latestLoad } from './logistics.repo.ts';
import { fetchSnapshot, probeVersion, type SnapshotDeps, shaSeqno, sourceKey } from './snapshot.ts';
import type { Rejection } from './validate.ts';

export interface LogisticsDeps extends SnapshotDeps {
  db: Db;
  log: Logger;
  maxUncompressedBytes: number;
  /** For the ROI refresh after rates changed (its "today" decides which rates are in force). */
  roiSettings: RoiSettings;
  clock?: Clock;
}

export interface LoadOptions {
  sources: readonly string[];
  dryRun: boolean;
  onProgress?: (p: { stage: string; sources_done: number }) => void;
}

export type SourceStatus = 'loaded' | 'would_load' | 'unchanged' | 'failed';

export interface SourceResult {
  /** The URI (http(s): without credentials), as logistics_loadlog and logistics_rates.source name it. */
  source: string;
  status: SourceStatus;
  /** unchanged: what matched the last snapshot loaded from this source. */
  matched?: 'sha256' | 'version';
  format?: 'csv' | 'xlsx' | 'json';
  sha256?: string;
  version?: string;
  /** Data rows read. */
  rows: number;
  /** Lanes new or changed (dry run: that would be). */
  upserted: number;
  /** Valid rows identical to the stored rate. */
  unchanged: number;
  /** Invalid rows, not loaded. */
  skipped: number;
  /** Why rows were skipped, the first MAX_REJECTIONS (card.load.ts) of them. */
  rejections: Rejection[];
  rejections_omitted?: number;
  error?: string;
  error_kind?: ErrorKind;
}

export interface LoadCounts {
  sources: number;
  rows: number;
  upserted: number;
  unchanged: number;
  skipped: number;
  failed_sources: number;
  [k: string]: number;
}

export interface LoadSummary {
  dry_run: boolean;
  counts: LoadCounts;
  sources: SourceResult[];
  roi_refreshed: boolean;
  roi_error?: string;
}

/**
 * One source: a snapshot equal to the one loaded last from it (same seqno before or after download,
 * or same sha256) is left alone. Only the latest counts, so a card reverted to an older version
 * (A, B, A) is loaded again rather than leaving B's rates in place.
 */
async function loadSource(
  deps: LogisticsDeps,
  uri: string,
  dir: string,
  dryRun: boolean,
): Promise<SourceResult> {
  const source = sourceKey(uri);
  const result = (status: SourceStatus, more: Partial<SourceResult> = {}): SourceResult => ({
    source,
    status,
    ...more,
    rows: more.rows ?? 0,
    upserted: more.upserted ?? 0,
    unchanged: more.unchanged ?? 0,
    skipped: more.skipped ?? 0,
    rejections: more.rejections ?? [],
  });
  let seen: Pick<SourceResult, 'sha256' | 'version'> = {};
  try {
    const latest = await latestLoad(deps.db.pool, source);
    const probed = await probeVersion(uri, deps);
    if (latest && probed && probed.seqno === latest.seqno) {
      return result('unchanged', { matched: 'version', version: probed.label });
    }
    const snap = await fetchSnapshot(uri, dir, deps, probed);
    seen = { sha256: snap.sha256, ...(snap.version ? { version: snap.version.label } : {}) };
    const seqno = snap.version?.seqno ?? shaSeqno(snap.sha256);
    if (latest && (latest.sha256 === snap.sha256 || latest.seqno === seqno)) {
      return result('unchanged', { matched: latest.sha256 === snap.sha256 ? 'sha256' : 'version', ...seen });
    }
    const s = await loadCard(deps, source, { ...snap, seqno }, dryRun);
    // loaded meanwhile by another run (the check above was outside the load's lock)
    if (s.status === 'skipped') return result('unchanged', { matched: 'sha256', ...seen });
    return result(dryRun ? 'would_load' : 'loaded', {
      format: s.format ?? undefined,
      ...seen,
      rows: s.rows,
      upserted: s.upserted,
      unchanged: s.unchanged,
      skipped: s.rejected,
      rejections: s.rejections,
      ...(s.rejections_omitted > 0 ? { rejections_omitted: s.rejections_omitted } : {}),
    });
  } catch (err) {
    const kind: ErrorKind = isAppError(err) ? err.kind : 'upstream';
    return result('failed', { ...seen, error: messageOf(err), error_kind: kind });
  }
}

function countsOf(results: SourceResult[]): LoadCounts {
  const sum = (k: 'rows' | 'upserted' | 'unchanged' | 'skipped') => results.reduce((n, r) => n + r[k], 0);
  return {
    sources: results.length,
    rows: sum('rows'),
    upserted: sum('upserted'),
    unchanged: sum('unchanged'),
    skipped: sum('skipped'),
    failed_sources: results.filter((r) => r.status === 'failed').length,
  };
}

// Failures a retry of the whole run cannot fix.
const FINAL: ReadonlySet<ErrorKind> = new Set(['invalid', 'not_found', 'config']);

/**
 * Loads freight rate cards (SPEC §5 logistics) from each source in turn. A source that fails
 * (download, file, database) fails alone and is reported; the run throws only when every source
 * failed, with the per-source report as the error's details. After a real run that changed rates,
 * ROI is refreshed so landed costs use them at once.
 */
export async function loadRateCards(deps: LogisticsDeps, opts: LoadOptions): Promise<LoadSummary> {
  const uris = [...new Map(opts.sources.map((u) => [sourceKey(u), u])).values()];
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'awa-logistics-'));
  const results: SourceResult[] = [];
  try {
    for (const [i, uri] of uris.entries()) {
      opts.onProgress?.({ stage: `source ${i + 1}/${uris.length}`, sources_done: i });
      // a directory per source: two cards may share a file name
      const dir = await mkdtemp(path.join(tmp, `${i}-`));
      const r = await loadSource(deps, uri, dir, opts.dryRun);
      await rm(dir, { recursive: true, force: true });
      const { rejections: _r, ...logged } = r;
      if (r.status === 'failed') deps.log.warn(logged, 'rate card source failed');
      else deps.log.info(logged, 'rate card source done');
      results.push(r);
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  const counts = countsOf(results);
  const summary: LoadSummary = { dry_run: opts.dryRun, counts, sources: results, roi_refreshed: false };
  if (results.length > 0 && counts.failed_sources === results.length) {
    const kind = results.every((r) => r.error_kind && FINAL.has(r.error_kind)) ? 'invalid' : 'upstream';
    const why = results.map((r) => `${r.source}: ${r.error}`).join('; ');
    throw new AppError(kind, `every rate card source failed (${why})`, summary);
  }
  if (!opts.dryRun && counts.upserted > 0) {
    try {
      await updateRoi(deps.db, { settings: deps.roiSettings, reason: 'logistics', clock: deps.clock });
      summary.roi_refreshed = true;
    } catch (err) {
      // the rates are committed; the scheduled roi_refresh catches up
      summary.roi_error = messageOf(err);
      deps.log.warn({ err: summary.roi_error }, 'ROI refresh after the freight load failed');
    }
  }
  return summary;
}
