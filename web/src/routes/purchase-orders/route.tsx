import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { poListQuery } from '../../api/purchase-orders.ts';
import type { Nav } from '../../app/context.ts';
import { signedInRoute } from '../../app/shell.tsx';
import { type PoSearch, parsePoSearch, poApiQuery } from '../../lib/restock-po-search.ts';

export const route = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/purchase-orders',
  validateSearch: (search: Record<string, unknown>): PoSearch => parsePoSearch(search),
  loaderDeps: ({ search }) => ({
    status: search.status,
    vendor: search.vendor,
    page: search.page,
    page_size: search.page_size,
  }),
  loader: ({ context, deps }) => {
    void context.queryClient.prefetchQuery(poListQuery(poApiQuery(deps)));
  },
  component: lazyRouteComponent(() => import('./page.tsx')),
});

export const nav: Nav = { label: 'Purchase orders', order: 60, minRole: 'viewer' };
