import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchImport } from './import.bench.ts';
import { benchIngest } from './ingest.bench.ts';
import { benchPlatform } from './platform.bench.ts';
import { benchRoi } from './roi.bench.ts';
import { benchUpload } from './upload.bench.ts';
import { benchXlsx } from './xlsx.bench.ts';

/**
 * `npm run bench [-- suite…]`: runs the benchmarks, prints their figures as JSON and keeps a copy in
 * bench/out/. Record notable results in bench/RESULTS.md by hand, with machine and date.
 */
const SUITES: Record<string, () => Promise<unknown>> = {
  platform: () => benchPlatform({ seconds: Number(process.env.BENCH_SECONDS ?? 10) }),
  import: () =>
    benchImport({
      rows: Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000),
      repeat: Number(process.env.BENCH_REPEAT ?? 2),
      detail: process.env.BENCH_IMPORT_DETAIL === '1',
    }),
  ingest: () =>
    benchIngest({
      ledgerRows: Number(process.env.BENCH_LEDGER_ROWS ?? 5_000_000),
      returnsMb: Number(process.env.BENCH_RETURNS_MB ?? 120),
    }),
  roi: () => benchRoi({ asins: Number(process.env.BENCH_ROI_ASINS ?? 200_000) }),
  xlsx: () => benchXlsx({ rows: Number(process.env.BENCH_XLSX_ROWS ?? 100_000) }),
  upload: () => benchUpload({ mb: Number(process.env.BENCH_UPLOAD_MB ?? 100) }),
  keepa: () =>
    import('./keepa.bench.ts').then((m) =>
      m.benchKeepa({ asins: Number(process.env.BENCH_KEEPA_ASINS ?? 10_000) }),
    ),
  scoring: () =>
    import('./scoring.bench.ts').then((m) =>
      m.benchScoring({ asins: Number(process.env.BENCH_SCORING_ASINS ?? 100_000) }),
    ),
  fees: () =>
    import('./fees.bench.ts').then((m) =>
      m.benchFees({ skus: Number(process.env.BENCH_FEES_SKUS ?? 10_000) }),
    ),
  repricer: () =>
    import('./repricer.bench.ts').then((m) =>
      m.benchRepricer({ skus: Number(process.env.BENCH_REPRICER_SKUS ?? 100_000) }),
    ),
  offers: () =>
    import('./offers.bench.ts').then((m) =>
      m.benchOffers({
        skus: Number(process.env.BENCH_OFFERS_SKUS ?? 20_000),
        notifications: Number(process.env.BENCH_OFFERS_NOTIFICATIONS ?? 50),
      }),
    ),
  decisions: () =>
    import('./decisions.bench.ts').then((m) =>
      m.benchDecisions({ asins: Number(process.env.BENCH_DECISIONS_ASINS ?? 200_000) }),
    ),
  sync: () =>
    import('./sync.bench.ts').then((m) =>
      m.benchSync({
        ledgerMb: Number(process.env.BENCH_SYNC_LEDGER_MB ?? 1024),
        marketplaces: (process.env.BENCH_SYNC_MARKETPLACES ?? 'US,CA,MX').split(','),
      }),
    ),
  demo: () =>
    import('./demo.bench.ts').then((m) => m.benchDemo({ runs: Number(process.env.BENCH_DEMO_RUNS ?? 2) })),
  restock: () =>
    import('./restock.bench.ts').then((m) =>
      m.benchRestock({ skus: Number(process.env.BENCH_RESTOCK_SKUS ?? 50_000) }),
    ),
  notify: () =>
    import('./notify.bench.ts').then((m) =>
      m.benchNotify({
        tasks: Number(process.env.BENCH_NOTIFY_TASKS ?? 1_000),
        chats: Number(process.env.BENCH_NOTIFY_CHATS ?? 30),
        latencyRuns: Number(process.env.BENCH_NOTIFY_LATENCY_RUNS ?? 5),
      }),
    ),
  'web-ops': () =>
    import('./web-ops.bench.ts').then((m) =>
      m.benchWebOps({
        planLines: Number(process.env.BENCH_WEB_PLAN_LINES ?? 5_000),
        decisions: Number(process.env.BENCH_WEB_DECISIONS ?? 100_000),
        loads: Number(process.env.BENCH_WEB_LOADS ?? 10),
        samples: Number(process.env.BENCH_WEB_SAMPLES ?? 40),
      }),
    ),
  web: () =>
    import('./web.bench.ts').then((m) =>
      m.benchWeb({
        loads: Number(process.env.BENCH_WEB_LOADS ?? 10),
        samples: Number(process.env.BENCH_WEB_SAMPLES ?? 40),
        logins: Number(process.env.BENCH_WEB_LOGINS ?? 250),
        seconds: Number(process.env.BENCH_SECONDS ?? 10),
        roiAsins: Number(process.env.BENCH_WEB_ROI_ASINS ?? 200_000),
      }),
    ),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : Object.keys(SUITES);
const results: Record<string, unknown> = {
  machine: {
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    mem_gb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
  },
  date: new Date().toISOString(),
};
for (const name of names) {
  const suite = SUITES[name];
  if (!suite) {
    console.error(`unknown suite "${name}"; known: ${Object.keys(SUITES).join(', ')}`);
    process.exit(2);
  }
  console.error(`running ${name}…`);
  results[name] = await suite();
}
const out = path.join(import.meta.dirname, 'out');
mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, `results-${Date.now()}.json`), JSON.stringify(results, null, 2));
console.log(JSON.stringify(results, null, 2));
