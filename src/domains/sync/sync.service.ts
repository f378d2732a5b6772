import { marketplaceCodeInput, marketplaceIdOf } from '../../platform/amazon/marketplaces.ts';
import { AppError } from '../../platform/errors.ts';
import { SETTLEMENT_TYPE, SYNC_TYPES, type SyncType } from './catalogue.ts';
import { isDue, nextWindow } from './sync.plan.ts';
import * as repo from './sync.repo.ts';
import { describe, finishRequest, runOf } from './sync.report.ts';
import type { SyncDeps, SyncResult, SyncRun } from './sync.types.ts';

export interface SyncInput {
  /** Default: every type of the catalogue. */
  types?: readonly SyncType[];
  /** One marketplace (AWA code); default: every participating one SYNC_MARKETPLACES lets through. */
  marketplace?: string;
  /** Start the first window here (backfill again from a date) instead of the watermark. */
  since?: Date;
  /** Plans the windows (and lists new settlements) without asking Amazon for a report or writing anything. */
  dryRun?: boolean;
  /** Also run what is not due yet (`awa sync run --force`); a window with no new day is still not asked for. */
  force?: boolean;
}

/** `since` asks for history again, so it runs whether due or not. */
const forced = (input: SyncInput) => input.force === true || input.since !== undefined;

/**
 * The sync agent (issue 16): for each report type and marketplace that is due, the reports Amazon
 * owes it, each through createReport → getReport → getReportDocument → the ingest. Marketplaces come
 * from the seller's account (Sellers API), filtered by SYNC_MARKETPLACES and `input.marketplace`.
 * Per (type, marketplace) one worker at a time (advisory lock); per report a failure is recorded
 * and the others go on.
 */
export async function runSync(deps: SyncDeps, input: SyncInput = {}): Promise<SyncResult> {
  const marketplaces = await marketplacesToSync(deps, input.marketplace);
  const runs: SyncRun[] = [];
  for (const t of input.types ?? SYNC_TYPES) {
    for (const mp of marketplaces) runs.push(...(await runUnit(deps, t, mp, input)));
  }
  const failed = runs.filter((r) => r.status === 'failed' || r.status === 'fatal').length;
  const status = failed === 0 ? 'success' : failed === runs.length ? 'failed' : 'partial';
  return { status, runs };
}

/** The seller's participating marketplaces that AWA knows, narrowed by configuration and the caller. */
export async function marketplacesToSync(deps: SyncDeps, only?: string): Promise<string[]> {
  const { marketplaces, unknown } = await deps.sellers.participations();
  if (unknown.length) deps.log.info({ unknown }, 'marketplaces AWA has no code for are not synced');
  const filter = deps.config.SYNC_MARKETPLACES;
  let codes = marketplaces.map((m) => m.code).filter((c) => filter.length === 0 || filter.includes(c));
  if (only !== undefined) {
    const code = marketplaceCodeInput(only);
    if (!codes.includes(code)) {
      throw new AppError(
        'invalid',
        `marketplace ${code} is not one the seller participates in${filter.length ? ' and SYNC_MARKETPLACES allows' : ''} (syncing: ${codes.join(', ') || 'none'})`,
        [{ field: 'marketplace', message: 'not a participating marketplace' }],
      );
    }
    codes = [code];
  }
  return codes.filter((c) => marketplaceIdOf(c, deps.config));
}

async function runUnit(deps: SyncDeps, t: SyncType, mp: string, input: SyncInput): Promise<SyncRun[]> {
  const client = await deps.db.pool.connect();
  const runs: SyncRun[] = [];
  const none = (status: SyncRun['status']) => ({
    type: t.spType,
    marketplace: mp,
    status,
    rows: null,
    window: null,
  });
  try {
    if (!(await repo.tryLock(client, t.spType, mp))) return [none('busy')];
    try {
      if (t.listed) return await runListed(deps, t, mp, input);
      const now = deps.clock.now();
      const state = await repo.getState(deps.db.pool, t.spType, mp);
      let from: Date | undefined;
      for (let i = 0; i < 100; i++) {
        const open = await repo.openRequest(deps.db.pool, t.spType, mp);
        if (open) {
          // a report asked for earlier (by a worker that died, or one still being generated)
          if (input.dryRun) return [...runs, runOf(t, open, 'pending', null)];
          const run = await finishRequest(deps, t, open);
          runs.push(run);
          if (run.status !== 'loaded' && run.status !== 'no_data') return runs;
          if (!open.window_end || open.window_end.getTime() >= now.getTime()) return runs;
          from = open.window_end;
          continue;
        }
        if (i === 0 && !isDue(state, now, forced(input))) return [none('up_to_date')];
        const w = nextWindow(t, state, now, { since: i === 0 ? input.since : undefined, from });
        if (t.window && !w) return runs.length ? runs : [none('up_to_date')];
        if (i > 0 && !t.window) return runs;
        const planned = { window_start: w?.start ?? null, window_end: w?.end ?? null };
        if (input.dryRun) {
          runs.push(runOf(t, { ...planned, marketplace: mp } as repo.RequestRow, 'planned', null));
          if (!w || w.end.getTime() >= now.getTime()) return runs;
          from = w.end;
          continue;
        }
        const row = await repo.insertRequest(deps.db.pool, {
          report_type: t.spType,
          marketplace: mp,
          ...planned,
          status: 'pending',
          now,
        });
        if (!row) return [...runs, none('busy')];
        // loop: the new row is the open request of the next turn
      }
      return runs;
    } finally {
      await repo.unlock(client, t.spType, mp);
    }
  } finally {
    client.release();
  }
}

/**
 * Settlements: Amazon generates them; getReports lists the DONE ones created since the watermark
 * (less a day, for reports that were still being generated at the last look) and each new reportId
 * is recorded (unique) and loaded once.
 */
async function runListed(deps: SyncDeps, t: SyncType, mp: string, input: SyncInput): Promise<SyncRun[]> {
  const runs: SyncRun[] = [];
  const now = deps.clock.now();
  const open = await repo.openRequest(deps.db.pool, t.spType, mp);
  if (open && !input.dryRun) {
    const run = await finishRequest(deps, t, open);
    runs.push(run);
    if (run.status !== 'loaded') return runs;
  }
  const state = await repo.getState(deps.db.pool, t.spType, mp);
  if (!isDue(state, now, forced(input)))
    return runs.length ? runs : [runOf(t, { marketplace: mp } as repo.RequestRow, 'up_to_date', null)];
  const w = nextWindow(t, state, now, { since: input.since })!;
  const probe = { marketplace: mp, report_id: null } as repo.RequestRow;
  let listed: Awaited<ReturnType<SyncDeps['reports']['getReports']>>;
  try {
    listed = await deps.reports.getReports({
      reportTypes: [SETTLEMENT_TYPE],
      processingStatuses: ['DONE'],
      marketplaceIds: [marketplaceIdOf(mp, deps.config)!],
      createdSince: w.start,
    });
  } catch (err) {
    const error = describe(t, probe, err);
    deps.errors.push(error);
    await repo.saveOutcome(deps.db.pool, t.spType, mp, {
      now,
      nextRunAt: new Date(now.getTime() + deps.retryAfterMs),
      error,
    });
    return [...runs, runOf(t, probe, 'failed', null)];
  }
  listed.sort((a, b) => Date.parse(a.createdTime ?? '') - Date.parse(b.createdTime ?? ''));
  const known = await repo.knownReportIds(
    deps.db.pool,
    listed.map((r) => r.reportId),
  );
  let failed = false;
  for (const r of listed.filter((x) => !known.has(x.reportId) && x.reportDocumentId)) {
    const window = {
      window_start: r.dataStartTime ? new Date(r.dataStartTime) : null,
      window_end: r.dataEndTime ? new Date(r.dataEndTime) : null,
    };
    if (input.dryRun) {
      runs.push(runOf(t, { ...window, marketplace: mp } as repo.RequestRow, 'planned', null));
      continue;
    }
    const row = await repo.insertRequest(deps.db.pool, {
      report_type: t.spType,
      marketplace: mp,
      ...window,
      status: 'done',
      report_id: r.reportId,
      document_id: r.reportDocumentId,
      now,
    });
    if (!row) continue; // another worker took it
    const run = await finishRequest(deps, t, row);
    runs.push(run);
    if (run.status !== 'loaded') {
      failed = true;
      break;
    }
  }
  if (!input.dryRun && !failed) {
    // the listing is complete up to now: the next one starts here (less the overlap)
    await repo.saveOutcome(deps.db.pool, t.spType, mp, {
      now,
      nextRunAt: new Date(now.getTime() + t.everyMs),
      dataFrom: w.start,
      dataTo: now,
    });
  }
  return runs.length ? runs : [runOf(t, { marketplace: mp } as repo.RequestRow, 'up_to_date', 0)];
}
