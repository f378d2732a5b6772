import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { roiSettingsFrom, updateRoi } from '../src/domains/roi/roi.service.ts';
import { loadConfig } from '../src/platform/config.ts';
import { connectDb } from '../src/platform/db/pool.ts';
import { ensureWebBuilt, launchChromium } from '../test/e2e/browser.ts';
import { freePort } from '../test/helpers/net.ts';
import { killPostmaster } from '../test/helpers/proc.ts';
import { seedRoiCatalogue } from './roi.bench.ts';
import {
  awaJson,
  type BenchDb,
  createToken,
  freshBenchDb,
  type RunningAwa,
  round,
  secondsSince,
  startAwa,
} from './roi-harness.ts';
import { chartDraws, gridLoads, gridPaging, signInThroughForm } from './web-browser.ts';
import { bundleFigures } from './web-bundle.ts';
import { benchLogins, benchMe, createUser, signInByApi, UNLIMITED } from './web-server.ts';

/**
 * The web app's budgets (SPEC §16, issue 12), measured on the real product:
 * - bundle: gzipped first-load JS, CSS and each lazily loaded chunk of dist/web;
 * - on demo data (`awa demo` into a fresh data dir, `awa start` as a child process, as a user runs
 *   them), in headless Chromium: ROI rows painted after a cold and a warm navigation, click → new
 *   first row painted for "Next" and for a sort change, the SKU chart's draw time;
 * - password sign-in latency and GET /me with a session cookie against a bearer token;
 * - the same paging and sorting on the 200,000-ASIN ROI catalogue of the roi bench.
 */

export interface WebBenchOptions {
  /** Cold/warm navigations to /roi, and SKU chart loads. */
  loads: number;
  /** Samples each of "Next" and sort change. */
  samples: number;
  logins: number;
  /** autocannon seconds per /me run. */
  seconds: number;
  /** ASINs of the big ROI catalogue; 0 skips that part. */
  roiAsins: number;
}

const load = () => os.loadavg().map((x) => round(x));

interface DemoSummary {
  best_offers: { asin: string }[];
  counts: Record<string, number>;
}

async function demoPart(browser: Browser, tmp: string, opts: WebBenchOptions) {
  // directly in the temp folder: as root, the embedded PostgreSQL's OS user must reach it
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'awa-bench-web-demo-'));
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWA_DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(await freePort()),
    LOG_PRETTY: 'false',
    ...UNLIMITED,
  };
  let server: RunningAwa | undefined;
  try {
    console.error('web: awa demo…');
    const t0 = performance.now();
    const demo = await awaJson<DemoSummary>(['demo'], env);
    const demoS = secondsSince(t0);
    const user = await createUser(env, 'demo');
    const token = await createToken(env, 'admin');
    server = await startAwa([], env, path.join(tmp, 'demo-start.log'));
    const base = server.base;
    const state = await signInThroughForm(browser, base, user.email, user.password);

    console.error('web: ROI loads (demo)…');
    const loads = { load_average_before: load(), ...(await gridLoads(browser, base, state, opts.loads)) };
    console.error('web: ROI paging and sorting (demo)…');
    const pagingLoad = load();
    const pg = await gridPaging(browser, base, state, opts.samples);
    const paging = { ...pg, budget_p95_ms: 150, within_budget: pg.both_p95_ms <= 150 };
    console.error('web: SKU chart…');
    const candidates = demo.best_offers.map((o) => o.asin);
    const chart = {
      load_average_before: load(),
      ...(await chartDraws(browser, base, state, candidates, opts.loads)),
    };
    console.error('web: sign-ins…');
    const logins = { load_average_before: load(), ...(await benchLogins(base, user, opts.logins)) };
    console.error('web: /me session vs bearer…');
    const cookie = await signInByApi(base, user);
    const me = [];
    for (const connections of [10, 50])
      me.push(await benchMe(base, token, cookie, opts.seconds, connections));
    return {
      server: '`awa start` (api + worker + scheduler), embedded PostgreSQL, demo data',
      demo_load_s: demoS,
      demo_counts: demo.counts,
      roi_loads: loads,
      roi_paging: { load_average_before: pagingLoad, ...paging },
      chart,
      login: logins,
      me_session_vs_bearer: me,
      load_average_after: load(),
    };
  } finally {
    await server?.stop();
    await killPostmaster(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function bigRoiPart(browser: Browser, opts: WebBenchOptions) {
  let bench: BenchDb | undefined;
  let server: RunningAwa | undefined;
  try {
    bench = await freshBenchDb('web');
    console.error(`web: seeding ${opts.roiAsins.toLocaleString('en')} ASINs × 3 vendors…`);
    const t0 = performance.now();
    const c = await bench.pool.connect();
    try {
      await seedRoiCatalogue(c, opts.roiAsins);
    } catch (err) {
      await c.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      c.release();
    }
    await bench.pool.query(
      'VACUUM (ANALYZE) products, product_identifiers, fees, buybox_history, vendor_prices',
    );
    console.error('web: ROI refresh…');
    const db = await connectDb(bench.url, { max: 4 });
    try {
      await updateRoi(db, {
        settings: roiSettingsFrom(loadConfig({ VAT_RATE: '0.19' })),
        reason: 'bench:web',
      });
    } finally {
      await db.close();
    }
    await bench.pool.query('VACUUM (ANALYZE) roi_offers');
    const { rows } = await bench.pool.query('SELECT count(*)::int AS n FROM roi_offers WHERE best');
    const prepareS = secondsSince(t0);
    const env = bench.env(UNLIMITED);
    const user = await createUser(env, 'roi');
    // the API alone: the scheduler would refresh the 600,000-row view every 15 minutes mid-run
    server = await startAwa(['--roles', 'api'], env, path.join(bench.tmp, 'awa-start.log'));
    const state = await signInThroughForm(browser, server.base, user.email, user.password);
    console.error('web: ROI loads and paging (200k)…');
    const before = load();
    const loads = await gridLoads(browser, server.base, state, Math.min(opts.loads, 5));
    const paging = await gridPaging(browser, server.base, state, opts.samples);
    return {
      server: '`awa start --roles api`, PostgreSQL seeded as in the roi bench',
      asins: opts.roiAsins,
      best_rows: rows[0].n as number,
      seed_and_refresh_s: prepareS,
      load_average_before: before,
      roi_loads: loads,
      roi_paging: { ...paging, budget_p95_ms: 250, within_budget: paging.both_p95_ms <= 250 },
      load_average_after: load(),
    };
  } finally {
    await server?.stop();
    await bench?.close();
  }
}

/**
 * `awa start` serves the dist/web files present when it started: a rebuild meanwhile (another
 * `npm run build` in the same checkout) leaves the pages asking for files it no longer has.
 */
function buildGuard(dir: string) {
  const id = () =>
    createHash('sha256')
      .update(readFileSync(path.join(dir, 'index.html')))
      .digest('hex')
      .slice(0, 12);
  const first = id();
  return {
    id: first,
    check(part: string) {
      if (id() !== first)
        throw new Error(`web bench: dist/web was rebuilt during the ${part} part; run again`);
    },
  };
}

export async function benchWeb(opts: WebBenchOptions) {
  const dir = ensureWebBuilt();
  const build = buildGuard(dir);
  const bundle = bundleFigures(dir);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'awa-bench-web-'));
  const browser = await launchChromium();
  const loadBefore = load();
  try {
    const demo = await demoPart(browser, tmp, opts);
    build.check('demo');
    const big = opts.roiAsins > 0 ? await bigRoiPart(browser, opts) : 'skipped (BENCH_WEB_ROI_ASINS=0)';
    build.check('200k');
    return {
      chromium: browser.version(),
      options: opts,
      load_average: { before: loadBefore, after: load() },
      build_index_html_sha256: build.id,
      bundle,
      demo,
      roi_200k: big,
    };
  } finally {
    await browser.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}
