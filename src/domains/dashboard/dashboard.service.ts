import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/pool.ts';
import { agentHealth } from '../agents/agents.service.ts';
import { loads, returnsStats } from '../reports/reports.service.ts';
import { kpi, roiByVendor } from '../roi/roi.service.ts';
import { priceLists } from '../vendors/vendors.service.ts';

/** GET /dashboard: the dashboard page in one request, each part from its own domain's service. */

export interface DashboardDeps {
  db: Db;
  config: Config;
  clock: Clock;
}

export const TOP_VENDORS = 10;
export const RECENT_FILES = 5;
export const TOP_RETURNS = 10;

export async function dashboard(deps: DashboardDeps) {
  const { db } = deps;
  const now = deps.clock.now();
  const [k, vendors, returns, imports, reportLoads, agents] = await Promise.all([
    kpi(db),
    roiByVendor(db),
    returnsStats(db, now, { sort: 'units', page: 1, page_size: TOP_RETURNS }),
    priceLists(db, undefined, RECENT_FILES),
    loads(db, { page: 1, page_size: RECENT_FILES }),
    agentHealth(deps),
  ]);
  return {
    kpi: k,
    roi_by_vendor: { items: vendors.items.slice(0, TOP_VENDORS) },
    returns,
    imports: (imports as Record<string, unknown>[]).map((p) => ({
      id: Number(p.id),
      vendor_id: Number(p.vendor_id),
      vendor: String(p.vendor),
      file: String(p.file_name),
      rows: Number(p.rows),
      status: String(p.status),
      at: p.created_at as Date,
    })),
    loads: reportLoads.items.map((l) => ({
      id: l.id,
      type: l.type,
      file: l.file,
      rows: l.rows,
      status: l.status,
      at: l.started_at,
    })),
    agents,
  };
}
