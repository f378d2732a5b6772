import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { findLoad, type LoadRow, lockLoad, saveLoad } from '../db/load-log.ts';
import type { Db } from '../db/pool.ts';
import { AppError } from '../errors.ts';
import { sha256OfFile } from '../files.ts';
import type { Logger } from '../logger.ts';
import { type LoadStatus, type LoadSummary, type RowOutcome, tallyRow } from './summary.ts';

const PROGRESS_EVERY = 10_000;

/** What a domain's load step gets: the transaction, the summary to fill in, and the pipeline's helpers. */
export interface LoadContext<S extends LoadSummary, Stage extends string = string> {
  /** The load's transaction: everything written on it is undone by a failure or a dry run. */
  client: pg.PoolClient;
  /** The summary to fill in: row counts (through `tally`) and the domain's own counts. */
  summary: S;
  /** This load's load_log id (rows the load writes may carry it). */
  loadId: number;
  /** The earlier load of the same file, when this one is forced. */
  previous: LoadRow | undefined;
  dryRun: boolean;
  skipInvalid: boolean;
  /** Counts a parsed row (and reports progress); true when the row is to be loaded. */
  tally(row: RowOutcome): boolean;
  /** An invalid row was seen and `skipInvalid` is off: the step should stop before its merge. */
  rejectsFile(): boolean;
  /** Reports the rows read so far (at the end of a pass; `tally` reports along the way). */
  progress(): void;
  /** Names the stage the load is in (a job shows it). */
  stage(name: Stage): void;
}

/** What load_log keeps of a load (default: the summary without its rejections). */
export interface LoadRecord {
  meta: Record<string, unknown>;
  rowsInserted?: number;
}

export interface StagedLoad<S extends LoadSummary, Stage extends string = string> {
  db: Db;
  log: Logger;
  file: string;
  /** The name shown in summaries and errors (default: the file's base name). */
  fileName?: string;
  /**
   * What may not load the same file twice at once, as known before the transaction (e.g. a vendor's
   * name): the advisory lock is on it and the file's sha256. Also the load_log source unless
   * `resolve` names another.
   */
  lock: string;
  /** Under the lock, inside the transaction: the load_log source (e.g. from a vendor looked up or created). */
  resolve?: (client: pg.PoolClient, summary: S) => Promise<string>;
  /**
   * The source is a snapshot (a rate card URL): only its latest load counts as done, so content
   * that comes back after another version is loaded again.
   */
  latestOnly?: boolean;
  force?: boolean;
  dryRun?: boolean;
  skipInvalid?: boolean;
  /** The domain's summary: the base plus its own counts at zero. */
  summary: (base: LoadSummary) => S;
  /** Fills in a skipped load's summary from the earlier load (load_id is already set). */
  skipped?: (summary: S, previous: LoadRow) => void;
  /** The domain's step: open and parse, validate (through ctx.tally), stage by COPY, merge. */
  load: (ctx: LoadContext<S, Stage>) => Promise<void>;
  /** After the status is known, before the load_log row: the domain's own record of the load. */
  record?: (client: pg.PoolClient, summary: S) => Promise<LoadRecord>;
  /** Runs after a real load committed (e.g. refresh ROI); its failure is logged, the load stays. */
  after?: (summary: S) => Promise<void>;
  onStage?: (stage: Stage) => void;
  onProgress?: (rowsRead: number) => void;
}

/**
 * Runs one file load (DESIGN "Loading files"): hash the file, then in one transaction take the
 * lock on (lock, sha256), skip a file load_log has seen (unless forced), run the domain's step,
 * apply the row rules (any invalid row rejects the file unless skipInvalid; a header without data
 * rows is an error), record the load in load_log and commit. A dry run does all of it and rolls
 * back, so its counts are the real run's. A rejected file writes nothing.
 */
export async function runLoad<S extends LoadSummary, Stage extends string = string>(
  job: StagedLoad<S, Stage>,
): Promise<S> {
  const t0 = performance.now();
  const fileName = job.fileName ?? path.basename(job.file);
  const sha256 = await sha256OfFile(job.file, fileName);
  const dryRun = job.dryRun ?? false;
  const skipInvalid = job.skipInvalid ?? false;
  const summary = job.summary({
    status: 'success',
    file: fileName,
    sha256,
    rows: 0,
    rejected: 0,
    rejections: [],
    rejections_truncated: false,
    dry_run: dryRun,
    duration_ms: 0,
    load_id: null,
  });
  const finish = (status: LoadStatus) => {
    summary.status = status;
    summary.duration_ms = Math.round(performance.now() - t0);
    return summary;
  };

  const client = await job.db.pool.connect();
  let committed = false;
  try {
    await client.query('BEGIN');
    await lockLoad(client, job.lock, sha256);
    const source = job.resolve ? await job.resolve(client, summary) : job.lock;
    const previous = await findLoad(client, source, sha256);
    const done = previous?.status === 'success' && (previous.latest || !job.latestOnly);
    if (done && !job.force) {
      summary.load_id = previous.id;
      job.skipped?.(summary, previous);
      return finish('skipped');
    }
    // the row exists from here on (a forced re-load keeps its id), only visible once committed
    summary.load_id = await saveLoad(client, {
      source,
      key: sha256,
      status: 'pending',
      meta: { file: fileName },
    });
    const ctx: LoadContext<S, Stage> = {
      client,
      summary,
      loadId: summary.load_id,
      previous,
      dryRun,
      skipInvalid,
      tally: (row) => {
        const load = tallyRow(summary, row, skipInvalid);
        if (summary.rows % PROGRESS_EVERY === 0) job.onProgress?.(summary.rows);
        return load;
      },
      rejectsFile: () => summary.rejected > 0 && !skipInvalid,
      progress: () => job.onProgress?.(summary.rows),
      stage: (name) => job.onStage?.(name),
    };
    await job.load(ctx);
    if (ctx.rejectsFile()) {
      summary.load_id = null; // rolled back
      return finish('rejected');
    }
    if (summary.rows === 0) throw new AppError('invalid', `${fileName} has a header but no data rows`);
    finish(summary.rejected > 0 ? 'partial' : 'success');
    const rec = job.record ? await job.record(client, summary) : { meta: withoutRejections(summary) };
    await saveLoad(client, {
      source,
      key: sha256,
      status: 'success',
      meta: rec.meta,
      durationMs: summary.duration_ms,
      rowsInserted: rec.rowsInserted,
    });
    if (dryRun) {
      summary.load_id = null; // rolled back with everything else
      return summary;
    }
    await client.query('COMMIT');
    committed = true;
  } finally {
    if (!committed) await client.query('ROLLBACK').catch(() => {});
    client.release();
  }
  if (job.after) {
    await job.after(summary).catch((err) => job.log.error({ err, file: fileName }, 'after-load step failed'));
  }
  return summary;
}

/** A summary as load_log keeps it: the problems stay in the run's report, not in every load's row. */
export function withoutRejections(summary: LoadSummary): Record<string, unknown> {
  const { rejections: _r, ...meta } = summary;
  return meta;
}
