import { performance } from 'node:perf_hooks';
import { SYNC_TYPES } from '../src/domains/sync/catalogue.ts';
import { createSyncClients, syncDeps } from '../src/domains/sync/sync.clients.ts';
import { runSync } from '../src/domains/sync/sync.service.ts';
import { syncStatus } from '../src/domains/sync/sync.status.ts';
import type { SyncResult } from '../src/domains/sync/sync.types.ts';
import { loadConfig } from '../src/platform/config.ts';
import { connectDb } from '../src/platform/db/pool.ts';
import { silentLogger } from '../src/platform/logger.ts';
import { maxObservedRate } from '../test/fakes/spapi-rate.ts';
import {
  bigLedger,
  type FakeReports,
  fakeReportsEnv,
  startFakeReports,
} from '../test/fakes/spapi-reports.ts';
import { fakeTime } from '../test/helpers/http.ts';
import { freshBenchDb, round, runAwa, secondsSince } from './roi-harness.ts';

/**
 * The sync agent against the local Reports/Sellers API stand-ins (`npm run bench -- sync`):
 * 1. from an empty database, a backfill of every type in three marketplaces by two workers at once
 *    (in this process, on virtual time so Amazon's one-a-minute refills cost no real minutes), the
 *    stand-in enforcing Amazon's usage plans: calls per operation, the most in any hour, 429s, and
 *    whether every (type, marketplace) ends within its freshness target;
 * 2. a day later, the scheduled run: the calls it makes (only new windows);
 * 3. a GZIP ledger document of BENCH_SYNC_LEDGER_MB (default 1024 MB uncompressed) through
 *    `awa sync run ledger` as a child process: wall time, rows, peak RSS.
 */

const OPS = [
  'getMarketplaceParticipations',
  'createReport',
  'getReport',
  'getReports',
  'getReportDocument',
] as const;
const DAY = 86_400_000;
/** What docker-compose.yml gives the worker (test/deploy.test.ts holds the two together). */
const WORKER_NODE_OPTIONS = '--max-semi-space-size=2';

function callFigures(api: FakeReports, from = 0) {
  const calls = api.calls.slice(from);
  const out: Record<string, { calls: number; max_per_hour: number; throttled: number }> = {};
  for (const op of OPS) {
    const mine = calls.filter((c) => c.op === op);
    out[op] = {
      calls: mine.length,
      max_per_hour: Math.round(
        maxObservedRate(
          mine.map((c) => c.at),
          3_600_000,
        ) * 3600,
      ),
      throttled: mine.filter((c) => c.status === 429).length,
    };
  }
  return out;
}

export async function benchSync(opts: { ledgerMb: number; marketplaces: string[] }) {
  const db = await freshBenchDb('sync');
  try {
    const time = fakeTime(Date.now());
    const api = await startFakeReports({
      now: time.nowMs,
      enforce: true,
      marketplaces: opts.marketplaces,
      perDay: 200,
      polls: 2,
    });
    const config = loadConfig({ AWA_DATA_DIR: db.dataDir, DATABASE_URL: db.url, ...fakeReportsEnv(api) });
    const pool = await connectDb(db.url, { max: 6 });
    const rt = { db: pool, config, clock: time.clock, log: silentLogger };
    const tuning = { clock: time.clock, sleep: time.sleep, random: Math.random };
    // two workers of one process share its token buckets (two processes share them through Redis)
    const clients = createSyncClients(config, { tuning });
    const worker = () => syncDeps(rt, clients, tuning);
    for (const mp of opts.marketplaces)
      api.addSettlement(mp, time.nowMs() - 3 * DAY, {
        start: time.nowMs() - 17 * DAY,
        end: time.nowMs() - 3 * DAY,
      });

    const figures = async (label: string, force: boolean) => {
      const from = api.calls.length;
      const v0 = time.nowMs();
      const t0 = performance.now();
      const [a, b] = await Promise.all([runSync(worker(), { force }), runSync(worker(), { force })]);
      const runs = [...a.runs, ...b.runs] as SyncResult['runs'];
      const by = (s: string) => runs.filter((r) => r.status === s).length;
      return {
        label,
        wall_s: secondsSince(t0),
        virtual_minutes: round((time.nowMs() - v0) / 60_000, 1),
        reports_loaded: by('loaded'),
        no_data: by('no_data'),
        failed: by('failed') + by('fatal'),
        up_to_date_or_busy: by('up_to_date') + by('busy'),
        rows: runs.reduce((n, r) => n + (r.rows ?? 0), 0),
        calls: callFigures(api, from),
      };
    };
    const backfill = await figures('backfill of every type from empty, two scheduled workers', false);
    const status = await syncStatus(rt);
    const fresh = {
      pairs: status.items.length,
      expected_pairs: SYNC_TYPES.length * opts.marketplaces.length,
      all_fresh: status.items.every((i) => i.fresh),
      stale: status.items.filter((i) => !i.fresh).map((i) => `${i.name} ${i.marketplace}`),
    };
    time.advance(DAY + 60_000);
    const second = await figures('scheduled run a day later, two workers', false);
    await api.close();
    await pool.close();

    // 3. one big GZIP ledger through the CLI (real time, Amazon's real plans: one report each), as
    //    `node bin/awa.mjs` runs by default and with the V8 flag the compose worker sets
    const ledger = [];
    for (const nodeOptions of [undefined, WORKER_NODE_OPTIONS]) {
      const big = await startFakeReports({ polls: 0 });
      big.script('GET_LEDGER_DETAIL_VIEW_DATA', {
        gzip: true,
        polls: 0,
        body: () => bigLedger(opts.ledgerMb * 2 ** 20, Date.now()),
      });
      await db.pool.query('TRUNCATE inventory_ledger_raw, load_log, sync_requests, sync_state');
      await db.pool.query('CHECKPOINT');
      const since = new Date(Date.now() - 30 * DAY).toISOString().slice(0, 10);
      const env = { ...fakeReportsEnv(big), ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}) };
      const r = await runAwa(['sync', 'run', 'ledger', '--since', since, '--json'], db.env(env), {
        peakRss: true,
      });
      await big.close();
      if (r.code !== 0) throw new Error(`awa sync run ledger exited ${r.code}: ${r.err.slice(-2000)}`);
      const out = JSON.parse(r.out) as SyncResult;
      const rows = out.runs[0]?.rows ?? 0;
      ledger.push({
        node_options: nodeOptions ?? null,
        document_mb_uncompressed: opts.ledgerMb,
        status: out.status,
        rows,
        wall_s: r.wall_s,
        rows_per_s: Math.round(rows / r.wall_s),
        peak_rss_mb: r.peak_rss_mb,
        target_peak_rss_mb: 200,
      });
    }
    return { marketplaces: opts.marketplaces, backfill, fresh, second, ledger };
  } finally {
    await db.close();
  }
}
