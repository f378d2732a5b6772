import path from 'node:path';
import { marketplaceCodeInput } from '../../platform/amazon/marketplaces.ts';
import type { Clock } from '../../platform/clock.ts';
import { copyRows } from '../../platform/db/copy.ts';
import type { Db } from '../../platform/db/pool.ts';
import { type LoadContext, type LoadSummary, runLoad, withoutRejections } from '../../platform/load/index.ts';
import type { Logger } from '../../platform/logger.ts';
import type { OrderEvidence } from '../../platform/tabular/index.ts';
import * as repo from './ingest.repo.ts';
import { MERGES, type MergeCounts } from './merge.repo.ts';
import { CATALOG, openReport, type Report, type ReportRow, type ReportType } from './parse/index.ts';

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

export type IngestStatus = LoadSummary['status'];

/** The load's base summary, the merge's counts (inserted, updated, replaced, closed, kept, notes) and the file's. */
export interface IngestSummary extends LoadSummary, MergeCounts {
  type: ReportType | null;
  marketplace: string;
  /**
   * How `01/09/2026`-style dates were read and what decided it (the file's own evidence, or the
   * marketplace); null when nothing had to be decided.
   */
  date_order: { order: 'month_first' | 'day_first'; decided_by: string } | null;
  /** Rows that added nothing: already loaded by an earlier report, or repeated in this one. */
  duplicates: number;
  columns: Record<string, string>;
}

/**
 * Ingests one Amazon report (SPEC §4): detect its type, then the staged load (platform/load): stream
 * the valid rows into a staging table (COPY) and merge them on the natural key in one set-based
 * statement, all in one transaction, run once per file and type and marketplace.
 */
export async function ingestReport(deps: IngestDeps, input: IngestInput): Promise<IngestSummary> {
  const marketplace = marketplaceCodeInput(input.marketplace ?? deps.defaultMarketplace);
  const fileName = input.fileName ?? path.basename(input.file);
  input.onStage?.('detecting');
  const report = await openReport(input.file, {
    type: input.type,
    marketplace,
    fileName,
    maxUncompressedBytes: deps.maxXlsxUncompressedBytes,
  });
  const type = report.type;
  // a forced re-ingest keeps the first one's time, so snapshots taken "as of" it are not doubled
  let asOf = deps.clock.now();
  try {
    return await runLoad<IngestSummary, IngestStage>({
      db: deps.db,
      log: deps.log,
      file: input.file,
      fileName,
      lock: `report:${type}:${marketplace}`,
      force: input.force,
      dryRun: input.dryRun,
      skipInvalid: input.skipInvalid,
      summary: (base) => ({
        ...base,
        type,
        marketplace,
        inserted: 0,
        updated: 0,
        replaced: 0,
        closed: 0,
        kept: 0,
        notes: [],
        date_order: null,
        duplicates: 0,
        columns: report.header.columns,
      }),
      load: async (ctx) => {
        if (ctx.previous?.meta.as_of) asOf = new Date(ctx.previous.meta.as_of as string);
        await stageAndMerge(ctx, report, { marketplace, asOf });
      },
      record: async (_client, s) => {
        const { columns: _c, ...meta } = withoutRejections(s);
        const about = {
          origin: input.origin,
          as_of: asOf,
          actor: input.actor,
          source: input.source ?? 'cli',
        };
        return { meta: { ...meta, ...about }, rowsInserted: s.inserted };
      },
      after: deps.afterIngest && (() => deps.afterIngest!(type)),
      onStage: input.onStage,
      onProgress: input.onProgress,
    });
  } finally {
    await report.batches.return(undefined); // closes the file if it was not read to the end
  }
}

type OkRow = Extract<ReportRow, { ok: true }>;

/** The report's load step: its valid rows by COPY into the stage, then the type's merge. */
async function stageAndMerge(
  ctx: LoadContext<IngestSummary, IngestStage>,
  report: Report,
  at: { marketplace: string; asOf: Date },
): Promise<void> {
  const { client, summary } = ctx;
  const type = report.type;
  const columns = CATALOG[type].columns;
  ctx.stage('parsing');
  await repo.createStage(client, type, columns);
  let summaries = 0;
  async function* valid(): AsyncGenerator<OkRow[]> {
    for await (const batch of report.batches) {
      const ok: OkRow[] = [];
      for (const r of batch) {
        if (!ctx.tally(r) || !r.ok) continue;
        if (r.summary) summaries += 1;
        ok.push(r);
      }
      yield ok;
    }
    ctx.progress();
  }
  const stageColumns = repo.stageColumns(type, columns);
  const staged = await copyRows(client, repo.STAGE, stageColumns, valid(), repo.stageLine(type));
  summary.date_order = dateOrderOf(report.dateOrderUsed());
  if (ctx.rejectsFile() || summary.rows === 0) return;

  ctx.stage('writing');
  await repo.analyzeStage(client);
  const n = await MERGES[type](client, {
    stage: repo.STAGE,
    columns: columns.map((c) => c.name),
    loadId: ctx.loadId,
    marketplace: at.marketplace,
    asOf: at.asOf,
    rejected: summary.rejected,
  });
  Object.assign(summary, n);
  summary.duplicates = Math.max(0, staged - summaries - n.inserted - n.updated - n.replaced - n.kept);
}

function dateOrderOf(e: OrderEvidence | null): IngestSummary['date_order'] {
  if (!e) return null;
  const at = e.rank === 4 ? '' : ` (line ${e.line}, column "${e.column}", value "${e.value}")`;
  return { order: e.monthFirst ? 'month_first' : 'day_first', decided_by: `${e.why}${at}` };
}
