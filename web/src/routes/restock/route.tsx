import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { plansQuery } from '../../api/restock.ts';
import type { Nav } from '../../app/context.ts';
import { signedInRoute } from '../../app/shell.tsx';
import { parseRestockSearch, type RestockSearch } from '../../lib/restock-search.ts';

export const route = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/restock',
  validateSearch: (search: Record<string, unknown>): RestockSearch => parseRestockSearch(search),
  // the plan list while the page's code downloads (not awaited: the page shows its own loading state)
  loader: ({ context }) => {
    void context.queryClient.prefetchQuery(plansQuery);
  },
  component: lazyRouteComponent(() => import('./page.tsx')),
});

export const nav: Nav = { label: 'Restock', order: 50, minRole: 'viewer' };
