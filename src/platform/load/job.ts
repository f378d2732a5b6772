import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../errors.ts';
import type { JobContext, JobOutcome } from '../jobs/types.ts';
import { fetchToLocal, type LocalFile, objectToLocal } from '../sources.ts';
import type { LoadSummary } from './summary.ts';

/** Where a queued load's file is: an upload in object storage, or a URI to fetch (one of them). */
export interface FileRef {
  object_key?: string;
  uri?: string;
}

export interface FileLoadJob<S extends LoadSummary> {
  /** The verb for the rejection message: "nothing was imported". */
  verb: string;
  /** The skipped run's reason: `already_imported`. */
  alreadyDone: string;
  /** The counts the run record keeps. */
  counts: (summary: S) => Record<string, number>;
  /** The domain's load of the local copy. */
  load: (local: LocalFile) => Promise<S>;
}

/**
 * Runs one file load as a job (price lists, reports): the file is copied to a temp folder (the
 * parsers need random access for XLSX), loaded by the pipeline in one transaction, and the folder
 * removed. A worker killed mid-load leaves nothing behind and the queue's retry starts clean; a
 * retry after a commit that was not yet acknowledged finds the load in load_log and is `skipped`.
 * A rejected file fails the run (nothing was written) with the summary as its details.
 */
export async function runFileLoadJob<S extends LoadSummary>(
  ctx: JobContext,
  file: FileRef,
  job: FileLoadJob<S>,
): Promise<JobOutcome> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'awa-load-'));
  try {
    ctx.progress({ stage: 'downloading' });
    const { config, store } = ctx.deps;
    const local = file.uri
      ? await fetchToLocal(file.uri, dir, { store, storage: config })
      : await objectToLocal(store, file.object_key!, dir);
    const s = await job.load(local);
    if (s.status === 'rejected') {
      throw new AppError(
        'invalid',
        `${s.rejected} of ${s.rows} rows are invalid; nothing was ${job.verb}`,
        s,
      );
    }
    return {
      status: s.status === 'skipped' ? 'skipped' : 'success',
      reason: s.status === 'skipped' ? job.alreadyDone : s.status,
      counts: job.counts(s),
      result: s,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
