import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Clock } from '../../platform/clock.ts';
import { copyRows } from '../../platform/db/copy.ts';
import { findLoad, saveLoad } from '../../platform/db/load-log.ts';
import type { Db } from '../../platform/db/pool.ts';
import { AppError } from '../../platform/errors.ts';
import { sha256OfFile } from '../../platform/files.ts';
import type { Logger } from '../../platform/logger.ts';
import { noteRejected, type OrderEvidence } from '../../platform/tabular/index.ts';
import * as repo from './ingest.repo.ts';
import { MERGES, type MergeCounts } from './merge.repo.ts';
import { CATALOG, openReport, type Rejection, type ReportRow, type ReportType } from './parse/index.ts';

export interface IngestDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  /** AWA_MARKETPLACE: reports carry no marketplace of their own. */
  defaultMarketplace: string;
  maxXlsxUncompressedBytes: number;
  /** Runs after a real ingest committed (e.g. refresh ROI); its failure does not undo the ingest. */
  afterIngest?: (type: ReportType) => Promise<void>;
}

/** SPEC §4's job stages; `downloading` happens before the file reaches the service. */
export type IngestStage = 'detecting' | 'parsing' | 'writing';

export interface IngestInput {
  file: string;
  fileName?: string;
  type?: ReportType;
  marketplace?: string;
  force?: boolean;
  dryRun?: boolean;
  skipInvalid?: boolean;
  source?: 'cli' | 'api';
  /** Where the file came from (URI or object key), kept in the load's record. */
  origin?: string;
  actor?: string;
  onStage?: (stage: IngestStage) => void;
  onProgress?: (rowsRead: number) => void;
}

export type IngestStatus = 'success' | 'partial' | 'skipped' | 'rejected';

/** The merge's counts (inserted, updated, replaced, closed, kept, notes) and the file's. */
export interface IngestSummary extends MergeCounts {
  status: IngestStatus;
  type: ReportType | null;
  file: string;
  sha256: string;
  marketplace: string;
  rows: number;
  /**
   * How `01/09/2026`-style dates were read and what decided it (the file's own evidence, or the
   * marketplace); null when nothing had to be decided.
   */
  date_order: { order: 'month_first' | 'day_first'; decided_by: string } | null;
  /** Rows that added nothing: already loaded by an earlier report, or repeated in this one. */
  duplicates: number;
  rejected: number;
  dry_run: boolean;
  load_id: number | null;
  duration_ms: number;
  columns: Record<string, string>;
  rejections: Rejection[];
  rejections_truncated: boolean;
}

const MARKETPLACE = /^[A-Z]{2}$/;

/**
 * Ingests one Amazon report (SPEC §4): detect its type, stream the valid rows into a staging table
 * (COPY), merge them on the natural key in one set-based statement, all in one transaction. Any
 * invalid row rejects the file unless `skipInvalid`; a dry run does everything and rolls back.
 */
export async function ingestReport(deps: IngestDeps, input: IngestInput): Promise<IngestSummary> {
  const t0 = performance.now();
  const marketplace = (input.marketplace ?? deps.defaultMarketplace).trim().toUpperCase();
  if (!MARKETPLACE.test(marketplace)) {
    throw new AppError(
      'invalid',
      `--marketplace must be a 2-letter code such as DE (got "${input.marketplace}")`,
    );
  }
  const fileName = input.fileName ?? path.basename(input.file);
  const sha256 = await sha256OfFile(input.file, fileName);
  const summary: IngestSummary = {
    status: 'success',
    type: input.type ?? null,
    file: fileName,
    sha256,
    marketplace,
    rows: 0,
    inserted: 0,
    updated: 0,
    replaced: 0,
    closed: 0,
    kept: 0,
    notes: [],
    date_order: null,
    duplicates: 0,
    rejected: 0,
    dry_run: input.dryRun ?? false,
    load_id: null,
    duration_ms: 0,
    columns: {},
    rejections: [],
    rejections_truncated: false,
  };
  const finish = (status: IngestStatus) => {
    summary.status = status;
    summary.duration_ms = Math.round(performance.now() - t0);
    return summary;
  };

  input.onStage?.('detecting');
  const report = await openReport(input.file, {
    type: input.type,
    marketplace,
    fileName,
    maxUncompressedBytes: deps.maxXlsxUncompressedBytes,
  });
  const type = report.type;
  summary.type = type;
  summary.columns = report.header.columns;
  const source = `report:${type}:${marketplace}`;
  const client = await deps.db.pool.connect();
  let committed = false;
  try {
    await client.query('BEGIN');
    // one ingest of a given file at a time: a second one waits here, then finds it loaded
    await repo.lockLoad(client, source, sha256);
    const prev = await findLoad(client, source, sha256);
    if (prev?.status === 'success' && !input.force) {
      summary.load_id = prev.id;
      return finish('skipped');
    }
    const asOf = prev?.meta.as_of ? new Date(prev.meta.as_of as string) : deps.clock.now();
    const loadId = await saveLoad(client, {
      source,
      key: sha256,
      status: 'pending',
      meta: { file: fileName, origin: input.origin, as_of: asOf, actor: input.actor },
    });
    summary.load_id = loadId;

    input.onStage?.('parsing');
    const columns = CATALOG[type].columns;
    await repo.createStage(client, type, columns);
    const skipInvalid = input.skipInvalid ?? false;
    let summaries = 0;
    type Ok = Extract<ReportRow, { ok: true }>;
    let nextProgress = 10_000;
    async function* valid(): AsyncGenerator<Ok[]> {
      for await (const batch of report.batches) {
        const ok: Ok[] = [];
        for (const r of batch) {
          summary.rows += 1;
          if (!r.ok) {
            noteRejected(summary, r.rejections);
            continue;
          }
          // once the file is known to be rejected as a whole, keep validating but stop loading
          if (summary.rejected > 0 && !skipInvalid) continue;
          if (r.summary) summaries += 1;
          ok.push(r);
        }
        if (summary.rows >= nextProgress) {
          input.onProgress?.(summary.rows);
          nextProgress = summary.rows + 10_000;
        }
        yield ok;
      }
      input.onProgress?.(summary.rows);
    }
    const staged = await copyRows(
      client,
      repo.STAGE,
      repo.stageColumns(type, columns),
      valid(),
      repo.stageLine(type),
    );
    summary.date_order = dateOrderOf(report.dateOrderUsed());
    if (summary.rejected > 0 && !skipInvalid) return finish('rejected');
    if (summary.rows === 0) throw new AppError('invalid', `${fileName} has a header but no data rows`);

    input.onStage?.('writing');
    await repo.analyzeStage(client);
    const n = await MERGES[type](client, {
      stage: repo.STAGE,
      columns: columns.map((c) => c.name),
      loadId,
      marketplace,
      asOf,
      rejected: summary.rejected,
    });
    Object.assign(summary, n);
    summary.duplicates = Math.max(0, staged - summaries - n.inserted - n.updated - n.replaced - n.kept);
    finish(summary.rejected > 0 ? 'partial' : 'success');
    const { rejections: _r, columns: _c, ...meta } = summary;
    await saveLoad(client, {
      source,
      key: sha256,
      status: 'success',
      meta: { ...meta, origin: input.origin, as_of: asOf, actor: input.actor, source: input.source ?? 'cli' },
      durationMs: summary.duration_ms,
      rowsInserted: n.inserted,
    });
    if (summary.dry_run) {
      summary.load_id = null;
      return summary;
    }
    await client.query('COMMIT');
    committed = true;
  } finally {
    if (!committed) await client.query('ROLLBACK').catch(() => {});
    client.release();
    await report.batches.return(undefined); // closes the file if it was not read to the end
  }
  if (deps.afterIngest) {
    await deps.afterIngest(type).catch((err) => deps.log.error({ err, type }, 'post-ingest refresh failed'));
  }
  return summary;
}

function dateOrderOf(e: OrderEvidence | null): IngestSummary['date_order'] {
  if (!e) return null;
  const at = e.rank === 4 ? '' : ` (line ${e.line}, column "${e.column}", value "${e.value}")`;
  return { order: e.monthFirst ? 'month_first' : 'day_first', decided_by: `${e.why}${at}` };
}
