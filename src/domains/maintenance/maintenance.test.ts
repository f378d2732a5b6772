import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.ts';
import { testJobDeps } from '../../../test/helpers/deps.ts';
import { runJob } from '../../platform/jobs/index.ts';
import type { JobDeps } from '../../platform/jobs/types.ts';
import { Metrics } from '../../platform/metrics.ts';
import { maintenanceJob } from './maintenance.job.ts';

let tdb: TestDatabase;
let deps: JobDeps;

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = testJobDeps(tdb, {
    env: { AUDIT_RETENTION_DAYS: '30', REPRICER_LOG_RETENTION_DAYS: '14' },
    clock: '2026-11-28T00:00:00Z',
  });
  const client = await tdb.db.pool.connect();
  try {
    await client.query(`INSERT INTO vendors (name) SELECT 'vendor ' || g FROM generate_series(1, 500) g`);
    await client.query(`INSERT INTO audit_log (at, actor, method, route, status, latency_ms)
      SELECT timestamptz '2026-11-28' - make_interval(days => g), 'x', 'GET', '/r', 200, 1
      FROM generate_series(1, 40) g`); // days 1..40 old: 10 are older than 30 days
    // repricer runs 10 and 20 days old, 3 decisions each; the 20-day one is past a 14-day retention
    await client.query(`WITH runs AS (
        INSERT INTO agent_runs (agent, status, started_at)
        SELECT 'repricer', 'success', timestamptz '2026-11-28' - make_interval(days => d)
        FROM unnest(ARRAY[10, 20]) d RETURNING id, started_at)
      INSERT INTO repricer_log (run_id, marketplace, sku, currency, strategy, changed, skipped, mode, reason, created_at)
      SELECT id, 'DE', 'SKU-' || g, 'EUR', 'hold', false, false, 'dry_run', 'hold', started_at
      FROM runs, generate_series(1, 3) g`);
    await client.query('SELECT pg_stat_force_next_flush()'); // make the writes visible in pg_stat
  } finally {
    client.release();
  }
});

afterAll(async () => {
  await tdb.drop();
});

async function lastAnalyze(table: string): Promise<Date | null> {
  const { rows } = await tdb.db.pool.query(
    'SELECT greatest(last_analyze, last_autoanalyze) AS t FROM pg_stat_user_tables WHERE relname = $1',
    [table],
  );
  return rows[0].t;
}

describe('maintenance agent', () => {
  it('dry run reports what it would do and changes nothing', async () => {
    const run = await runJob(maintenanceJob, deps, new Metrics(), { dryRun: true });
    expect(run.status).toBe('success');
    expect(run.counts.tables_analyzed).toBeGreaterThanOrEqual(2); // vendors + audit_log changed
    expect(run.counts.audit_rows_deleted).toBe(10);
    expect(run.counts.repricer_log_rows_deleted).toBe(3);
    expect(await lastAnalyze('vendors')).toBeNull();
    const { rows } = await tdb.db.pool.query('SELECT count(*)::int AS n FROM audit_log');
    expect(rows[0].n).toBe(40);
    const log = await tdb.db.pool.query('SELECT count(*)::int AS n FROM repricer_log');
    expect(log.rows[0].n).toBe(6);
  });

  it('analyzes changed tables and trims the audit log to its retention', async () => {
    const run = await runJob(maintenanceJob, deps, new Metrics());
    expect(run).toMatchObject({ agent: 'maintenance', status: 'success', dry_run: false });
    expect(run.counts.tables_checked).toBeGreaterThanOrEqual(16);
    expect(run.counts.rows_in_analyzed_tables).toBeGreaterThanOrEqual(500);
    expect(await lastAnalyze('vendors')).not.toBeNull();
    const { rows } = await tdb.db.pool.query('SELECT count(*)::int AS n, min(at) AS oldest FROM audit_log');
    expect(rows[0].n).toBe(30);
    expect(new Date(rows[0].oldest).getTime()).toBeGreaterThanOrEqual(Date.parse('2026-10-29T00:00:00Z'));
    expect(run.counts.repricer_log_rows_deleted).toBe(3);
    const log = await tdb.db.pool.query('SELECT DISTINCT created_at FROM repricer_log');
    expect(log.rows.map((r) => new Date(r.created_at).toISOString())).toEqual(['2026-11-18T00:00:00.000Z']);
  });

  it('is scheduled from config', () => {
    expect(maintenanceJob.schedule?.(deps.config)).toBe('30 3 * * *');
  });
});
