/**
 * THE list of pages: one import and one entry per page. Each `web/src/routes/<page>/route.tsx`
 * exports `route` (a route under the signed-in layout, its page lazily loaded) and `nav`
 * (its place in the left navigation, or null).
 */
import * as dashboard from '../routes/dashboard/route.tsx';
import * as priceLists from '../routes/price-lists/route.tsx';
import * as roi from '../routes/roi/route.tsx';
import * as sku from '../routes/sku/route.tsx';

export const pages = [dashboard, roi, priceLists, sku] as const;
