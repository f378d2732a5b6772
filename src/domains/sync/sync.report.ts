import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { downloadDocument, isExpiredDocumentUrl } from '../../platform/amazon/documents.ts';
import { marketplaceIdOf } from '../../platform/amazon/marketplaces.ts';
import { spApiErrorText } from '../../platform/amazon/spapi.ts';
import { messageOf } from '../../platform/errors.ts';
import { isHttpClientError } from '../../platform/http/errors.ts';
import { ingestReport } from '../reports/ingest.service.ts';
import type { SyncType } from './catalogue.ts';
import type { ReportInfo } from './reports.client.ts';
import * as repo from './sync.repo.ts';
import type { SyncDeps, SyncRun } from './sync.types.ts';

/** A pre-signed URL that expired is replaced this many times before the download counts as failed. */
const DOCUMENT_ATTEMPTS = 3;
/** A request that failed this often (network, Amazon 5xx after retries) is given up; the window is asked anew. */
const MAX_ATTEMPTS = 5;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function runOf(t: SyncType, row: repo.RequestRow, status: SyncRun['status'], rows: number | null) {
  const window =
    row.window_start && row.window_end ? { start: iso(row.window_start)!, end: iso(row.window_end)! } : null;
  return { type: t.spType, marketplace: row.marketplace, status, rows, window };
}

/** Names what failed the way an operator looks it up: type, marketplace, Amazon's reportId, Amazon's words. */
export function describe(t: SyncType, row: repo.RequestRow, what: unknown): string {
  let why = messageOf(what);
  if (isHttpClientError(what)) {
    const amazon = spApiErrorText(what.responseText);
    if (amazon) why = `${why} (${amazon})`;
  }
  const id = row.report_id ? ` report ${row.report_id}` : '';
  return `${t.spType} ${row.marketplace}${id}: ${why}`;
}

/**
 * Takes one recorded request to its end: createReport (once: a request whose createReport may have
 * gone out is adopted through getReports instead), getReport until DONE/CANCELLED/FATAL, then the
 * document into the ingest. Every step is saved before the next, so a killed worker's successor
 * picks up where it stopped; the ingest's run-once guard (content hash) covers a kill between the
 * ingest's commit and the request's `loaded`.
 */
export async function finishRequest(deps: SyncDeps, t: SyncType, row: repo.RequestRow): Promise<SyncRun> {
  const now = () => deps.clock.now();
  try {
    if (row.status === 'pending') await create(deps, t, row);
    if (row.status === 'requested') {
      const info = await poll(deps, row);
      if (!info) return runOf(t, row, 'pending', null);
      if (info.processingStatus === 'CANCELLED') {
        // Amazon's word for "no data in this window": the window is done
        await repo.updateRequest(deps.db.pool, row.id, now(), {
          status: 'cancelled',
          rows: 0,
          finished: true,
        });
        await succeed(deps, t, row, 0);
        return runOf(t, row, 'no_data', 0);
      }
      if (info.processingStatus === 'FATAL') return await fatal(deps, t, row, info);
      row.document_id = info.reportDocumentId ?? null;
      row.status = 'done';
      await repo.updateRequest(deps.db.pool, row.id, now(), {
        status: 'done',
        document_id: row.document_id ?? undefined,
      });
    }
    return await load(deps, t, row);
  } catch (err) {
    const error = describe(t, row, err);
    const giveUp = row.attempts + 1 >= MAX_ATTEMPTS;
    await repo.updateRequest(deps.db.pool, row.id, now(), {
      attempt: true,
      error,
      ...(giveUp ? { status: 'failed', finished: true } : {}),
    });
    await repo.saveOutcome(deps.db.pool, t.spType, row.marketplace, {
      now: now(),
      nextRunAt: new Date(now().getTime() + Math.min(t.everyMs, deps.retryAfterMs)),
      error,
    });
    deps.log.warn(
      { err, type: t.spType, marketplace: row.marketplace, report_id: row.report_id },
      'sync failed',
    );
    deps.errors.push(error);
    return runOf(t, row, 'failed', null);
  }
}

async function create(deps: SyncDeps, t: SyncType, row: repo.RequestRow): Promise<void> {
  const marketplaceId = marketplaceIdOf(row.marketplace, deps.config)!;
  if (row.create_sent_at) {
    // createReport may have reached Amazon before the worker died: adopt that report if it exists
    const since = new Date(row.create_sent_at.getTime() - 5 * 60_000);
    const found = (
      await deps.reports.getReports({
        reportTypes: [t.spType],
        marketplaceIds: [marketplaceId],
        createdSince: since,
      })
    ).find(
      (r) =>
        !row.window_start ||
        (Date.parse(r.dataStartTime ?? '') === row.window_start.getTime() &&
          Date.parse(r.dataEndTime ?? '') === row.window_end!.getTime()),
    );
    if (found) {
      row.report_id = found.reportId;
      row.status = 'requested';
      await repo.updateRequest(deps.db.pool, row.id, deps.clock.now(), {
        report_id: found.reportId,
        status: 'requested',
      });
      return;
    }
  }
  row.create_sent_at = deps.clock.now();
  await repo.updateRequest(deps.db.pool, row.id, row.create_sent_at, { create_sent_at: row.create_sent_at });
  let reportId: string;
  try {
    reportId = await deps.reports.createReport({
      reportType: t.spType,
      marketplaceIds: [marketplaceId],
      dataStartTime: row.window_start ?? undefined,
      dataEndTime: row.window_end ?? undefined,
    });
  } catch (err) {
    // an answer (400, 429 after retries, 5xx) means nothing was created; only a lost answer (timeout,
    // cut connection) leaves it unknown, to be settled by getReports on the next attempt
    if (isHttpClientError(err) && err.status !== undefined) {
      row.create_sent_at = null;
      await repo.updateRequest(deps.db.pool, row.id, deps.clock.now(), { create_sent_at: null });
    }
    throw err;
  }
  row.report_id = reportId;
  row.status = 'requested';
  await repo.updateRequest(deps.db.pool, row.id, deps.clock.now(), {
    report_id: reportId,
    status: 'requested',
  });
}

/** getReport until it is no longer queued or in progress; undefined when this run's patience ran out. */
async function poll(deps: SyncDeps, row: repo.RequestRow): Promise<ReportInfo | undefined> {
  const started = deps.clock.now().getTime();
  let wait = deps.pollIntervalMs;
  for (;;) {
    const info = await deps.reports.getReport(row.report_id!);
    if (info.processingStatus !== 'IN_QUEUE' && info.processingStatus !== 'IN_PROGRESS') return info;
    if (deps.clock.now().getTime() - started + wait > deps.maxPollMs) return undefined;
    await deps.sleep(wait, deps.signal);
    // reports take seconds to an hour: ask often at first, then at most every two minutes
    wait = Math.min(wait * 2, 120_000);
  }
}

async function fatal(deps: SyncDeps, t: SyncType, row: repo.RequestRow, info: ReportInfo): Promise<SyncRun> {
  let text = 'FATAL without an error document';
  if (info.reportDocumentId) {
    // a FATAL report's document, when there is one, is Amazon's explanation
    const file = tempFile(deps, row, 'error');
    await fetchDocument(deps, info.reportDocumentId, file);
    text = (await readFile(file, 'utf8')).slice(0, 2000).trim();
    await rm(file, { force: true });
  }
  const error = `${t.spType} ${row.marketplace} report ${row.report_id}: FATAL: ${text}`;
  await repo.updateRequest(deps.db.pool, row.id, deps.clock.now(), {
    status: 'fatal',
    document_id: info.reportDocumentId,
    error,
    finished: true,
  });
  await repo.saveOutcome(deps.db.pool, t.spType, row.marketplace, {
    now: deps.clock.now(),
    nextRunAt: new Date(deps.clock.now().getTime() + Math.min(t.everyMs, deps.retryAfterMs)),
    error,
  });
  deps.errors.push(error);
  return runOf(t, row, 'fatal', null);
}

function tempFile(deps: SyncDeps, row: repo.RequestRow, kind: string): string {
  return path.join(deps.workDir, `${row.id}-${row.report_id ?? 'listed'}-${kind}.txt`);
}

/** getReportDocument, then the download; an expired pre-signed URL is replaced by a fresh one. */
async function fetchDocument(deps: SyncDeps, documentId: string, file: string) {
  await mkdir(path.dirname(file), { recursive: true });
  for (let attempt = 1; ; attempt++) {
    const doc = await deps.reports.getReportDocument(documentId);
    try {
      return await downloadDocument(deps.documents, doc, file, deps.signal);
    } catch (err) {
      if (!isExpiredDocumentUrl(err) || attempt >= DOCUMENT_ATTEMPTS) throw err;
      deps.log.info(
        { document_id: documentId, attempt },
        'report document URL expired; asking for a new one',
      );
    }
  }
}

async function load(deps: SyncDeps, t: SyncType, row: repo.RequestRow): Promise<SyncRun> {
  if (!row.document_id) throw new Error('DONE without a reportDocumentId');
  const file = tempFile(deps, row, 'document');
  try {
    const got = await fetchDocument(deps, row.document_id, file);
    let rows = 0;
    let loadId: number | null = null;
    // a report of its header alone has no data for the window: nothing to ingest
    if (got.lines > 1) {
      const s = await ingestReport(deps.ingest, {
        file,
        fileName: `${t.spType}-${row.marketplace}-${row.report_id}.txt`,
        type: t.type,
        marketplace: row.marketplace,
        origin: `sp-api:report:${row.report_id}`,
        actor: 'sync',
        dryRun: row.dry_run,
      });
      if (s.status === 'rejected') {
        const first = s.rejections[0];
        const where = first ? ` (line ${first.line}, ${first.column}: ${first.reason})` : '';
        throw new Error(`the ingest rejected the report: ${s.rejected} invalid rows${where}`);
      }
      rows = s.status === 'skipped' ? 0 : s.rows;
      loadId = s.load_id;
    }
    await repo.updateRequest(deps.db.pool, row.id, deps.clock.now(), {
      status: 'loaded',
      rows,
      load_id: loadId ?? undefined,
      error: null,
      finished: true,
    });
    if (!row.dry_run) await succeed(deps, t, row, rows);
    return runOf(t, row, 'loaded', rows);
  } finally {
    await rm(file, { force: true });
  }
}

async function succeed(deps: SyncDeps, t: SyncType, row: repo.RequestRow, rows: number): Promise<void> {
  const now = deps.clock.now();
  await repo.saveOutcome(deps.db.pool, t.spType, row.marketplace, {
    now,
    nextRunAt: new Date(now.getTime() + t.everyMs),
    dataFrom: row.window_start,
    // listed reports (settlements) move their watermark when listed, not per report
    dataTo: t.listed ? null : row.window_end,
    rows,
  });
}
