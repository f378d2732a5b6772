import type { JobDefinition } from '../../platform/jobs/index.ts';
import { runMaintenance } from './maintenance.service.ts';

export const maintenanceJob: JobDefinition = {
  name: 'maintenance',
  description:
    'Nightly database upkeep: ANALYZE changed tables, trim the audit log and old repricer decisions',
  schedule: (config) => config.MAINTENANCE_CRON,
  retry: { limit: 2, delaySeconds: 60, backoff: true },
  expireInSeconds: 3600,
  handler: runMaintenance,
};
