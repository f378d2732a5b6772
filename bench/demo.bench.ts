import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { freshBenchDb, round, runAwa } from './roi-harness.ts';

/**
 * `awa demo` as a newcomer meets it (target: under 30 s on a 2-core machine): a cold start on an
 * empty data dir (embedded PostgreSQL initialised by the command itself), a load into an empty
 * migrated database, and `runs` repeated loads that must find everything in place.
 */
export async function benchDemo(opts: { runs: number }) {
  const db = await freshBenchDb('demo');
  try {
    // cold: no DATABASE_URL, a fresh AWA_DATA_DIR: initdb + migrations + the demo + stopping the server
    chmodSync(db.tmp, 0o755); // the embedded server's OS user must be able to enter it when run as root
    const coldDir = path.join(db.tmp, 'cold');
    mkdirSync(coldDir);
    const { DATABASE_URL: _url, ...env } = db.env({ AWA_DATA_DIR: coldDir });
    const cold = await runAwa(['demo', '--json'], env, { peakRss: true });
    if (cold.code !== 0) throw new Error(`cold awa demo failed\n${cold.out}\n${cold.err}`);

    // warm: a migrated, empty database that is already running
    const first = await runAwa(['demo', '--json'], db.env(), { peakRss: true });
    if (first.code !== 0) throw new Error(`awa demo failed\n${first.out}\n${first.err}`);
    const summary = JSON.parse(first.out);
    const repeats: Array<{ status: string; wall_s: number }> = [];
    for (let i = 0; i < opts.runs; i++) {
      const r = await runAwa(['demo', '--json'], db.env());
      repeats.push({ status: JSON.parse(r.out).status, wall_s: r.wall_s });
    }
    return {
      cold_start_wall_s: cold.wall_s,
      cold_start_load_s: round(JSON.parse(cold.out).duration_ms / 1000),
      cold_peak_rss_mb: cold.peak_rss_mb,
      first_load_wall_s: first.wall_s,
      first_load_s: round(summary.duration_ms / 1000),
      first_peak_rss_mb: first.peak_rss_mb,
      repeats,
      counts: summary.counts,
      agents: summary.agents.map((a: { agent: string; status: string }) => `${a.agent}:${a.status}`),
    };
  } finally {
    await db.close();
  }
}
