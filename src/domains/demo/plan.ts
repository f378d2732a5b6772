import { VENDORS } from './catalog.data.ts';
import { generateCatalog } from './catalog.gen.ts';
import {
  buyboxPoints,
  earlierFeeRows,
  feeRows,
  fxRows,
  gapsOf,
  laneRows,
  metricPoints,
} from './market.gen.ts';
import { demoPurchaseOrder, demoRules } from './ops.ts';
import { priceListFiles } from './pricelists.gen.ts';
import { reportFiles } from './reports.gen.ts';
import { salesHistory } from './sales.gen.ts';
import { settlementFiles } from './settlement.gen.ts';

const REPORTS = ['listings', 'fba_inventory', 'inventory_ledger', 'returns', 'reimbursements'];

/**
 * `awa demo --dry-run`: the rows the demo would hand to each importer and table, generated in memory.
 * Nothing is written and nothing is compared with the database (a real load skips what is there).
 */
export function plannedRows(now: Date, marketplace: string): Record<string, number> {
  const catalog = generateCatalog();
  const gaps = gapsOf(catalog);
  const out: Record<string, number> = {
    vendors: VENDORS.length,
    products: catalog.products.length,
    buybox_points: buyboxPoints(catalog, gaps, now).length,
    metric_points: metricPoints(catalog, gaps, now).length,
    fees_earlier: earlierFeeRows(catalog, gaps, marketplace).length,
    fees: feeRows(catalog, gaps, marketplace).length,
    lanes: laneRows().length,
    fx_rates: fxRows(now).length,
  };
  // every list has all the vendor's offers; a superseded one (last month's) is its own line
  for (const f of priceListFiles(catalog))
    out[`price_list:${f.vendor.key}${f.superseded ? ':previous' : ''}`] = catalog.offers.filter(
      (o) => o.vendor === f.vendor.key,
    ).length;
  const sales = salesHistory(catalog, now);
  reportFiles(catalog, sales, now).forEach((f, i) => {
    out[`report:${REPORTS[i]}`] = f.content.split('\n').length - 2; // minus header and final newline
  });
  const settlements = settlementFiles(catalog, sales, now);
  out['report:settlement'] = settlements.reduce((n, f) => n + f.content.split('\n').length - 3, 0); // and summary row
  out.settlements = settlements.length;
  out.repricer_rules = demoRules(catalog).rules.length;
  out.purchase_orders = demoPurchaseOrder(catalog) ? 1 : 0;
  return out;
}
