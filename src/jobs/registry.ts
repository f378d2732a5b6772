import { alertsJob } from '../domains/alerts/alerts.job.ts';
import { keepaJob } from '../domains/catalog/keepa.job.ts';
import { decisionsJob } from '../domains/decisions/decisions.job.ts';
import { feesJob } from '../domains/fees/fees.job.ts';
import { logisticsJob } from '../domains/logistics/logistics.job.ts';
import { maintenanceJob } from '../domains/maintenance/maintenance.job.ts';
import { offersJob } from '../domains/offers/offers.job.ts';
import { reportIngestJob } from '../domains/reports/ingest.job.ts';
import { repricerJob } from '../domains/repricer/repricer.job.ts';
import { restockJob } from '../domains/restock/restock.job.ts';
import { roiRefreshJob } from '../domains/roi/roi.job.ts';
import { scoringJob } from '../domains/scoring/scoring.job.ts';
import { syncJob } from '../domains/sync/sync.job.ts';
import { priceListImportJob } from '../domains/vendors/import.job.ts';
import type { Config } from '../platform/config.ts';
import type { JobDefinition } from '../platform/jobs/index.ts';

/** Every agent/job the worker runs and the scheduler fires. Add new agents here. */
export const JOBS: JobDefinition[] = [
  maintenanceJob,
  priceListImportJob,
  reportIngestJob,
  syncJob,
  roiRefreshJob,
  logisticsJob,
  keepaJob,
  feesJob,
  repricerJob,
  offersJob,
  scoringJob,
  restockJob,
  decisionsJob,
  alertsJob,
];

export function findJob(name: string): JobDefinition | undefined {
  return JOBS.find((j) => j.name === name);
}

/** name → cron for every job that has a schedule in this configuration. */
export function schedulesFor(config: Config): Map<string, string> {
  const out = new Map<string, string>();
  for (const j of JOBS) {
    const cron = j.schedule?.(config);
    if (cron) out.set(j.name, cron);
  }
  return out;
}
