/**
 * THE list of pages: one import and one entry per page. Each `web/src/routes/<page>/route.tsx`
 * exports `route` (a route under the signed-in layout, its page lazily loaded) and `nav`
 * (its place in the left navigation, or null).
 */
import * as agents from '../routes/agents/route.tsx';
import * as dashboard from '../routes/dashboard/route.tsx';
import * as inbox from '../routes/inbox/route.tsx';
import * as priceLists from '../routes/price-lists/route.tsx';
import * as purchaseOrders from '../routes/purchase-orders/route.tsx';
import * as reports from '../routes/reports/route.tsx';
import * as repricer from '../routes/repricer/route.tsx';
import * as restock from '../routes/restock/route.tsx';
import * as roi from '../routes/roi/route.tsx';
import * as scores from '../routes/scores/route.tsx';
import * as settings from '../routes/settings/route.tsx';
import * as sku from '../routes/sku/route.tsx';
import * as team from '../routes/team/route.tsx';
import * as vendors from '../routes/vendors/route.tsx';

export const pages = [
  dashboard,
  inbox,
  roi,
  priceLists,
  vendors,
  sku,
  restock,
  purchaseOrders,
  repricer,
  scores,
  reports,
  agents,
  team,
  settings,
] as const;
