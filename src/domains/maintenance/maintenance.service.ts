import type { JobContext, JobOutcome } from '../../platform/jobs/index.ts';
import * as repo from './maintenance.repo.ts';

/**
 * Autovacuum's analyze thresholds scale with table size, so after a bulk import of millions of
 * rows the planner can run on stale statistics for hours. The nightly pass re-analyzes every table
 * that changed since its last analyze (or was never analyzed) and trims the audit log to its
 * retention period, and the repricer's decision log to its own.
 */
export async function runMaintenance(ctx: JobContext): Promise<JobOutcome> {
  const { db, clock, config } = ctx.deps;
  const stats = await repo.tableStats(db.pool);
  const stale = stats.filter((t) => t.modified_since_analyze > 0 || (!t.last_analyzed && t.live_rows > 0));
  for (const t of stale) {
    if (!ctx.dryRun) await repo.analyze(db.pool, t.table);
    ctx.log.debug(
      { table: t.table, modified: t.modified_since_analyze },
      ctx.dryRun ? 'would analyze' : 'analyzed',
    );
  }
  const cutoff = new Date(clock.now().getTime() - config.AUDIT_RETENTION_DAYS * 86_400_000);
  const expired = ctx.dryRun
    ? await repo.countAuditOlderThan(db.pool, cutoff)
    : await repo.deleteAuditOlderThan(db.pool, cutoff);
  // every 15-minute run logs every listing: ~100 rows per SKU a day would outgrow everything else
  const logCutoff = new Date(clock.now().getTime() - config.REPRICER_LOG_RETENTION_DAYS * 86_400_000);
  const decisions = ctx.dryRun
    ? await repo.countRepricerLogBefore(db.pool, logCutoff)
    : await repo.deleteRepricerLogBefore(db.pool, logCutoff);
  return {
    counts: {
      tables_checked: stats.length,
      tables_analyzed: stale.length,
      rows_in_analyzed_tables: stale.reduce((n, t) => n + t.live_rows, 0),
      audit_rows_deleted: expired,
      repricer_log_rows_deleted: decisions,
    },
  };
}
