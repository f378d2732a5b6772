import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { roiPageQuery } from '../../api/roi.ts';
import type { Nav } from '../../app/context.ts';
import { signedInRoute } from '../../app/shell.tsx';
import { parseRoiSearch, type RoiSearch } from '../../lib/roi-search.ts';

export const route = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/roi',
  validateSearch: (search: Record<string, unknown>): RoiSearch => parseRoiSearch(search),
  loaderDeps: ({ search }) => search,
  // ask for the rows while the page's code downloads (not awaited: the page shows its own loading state)
  loader: ({ context, deps }) => {
    void context.queryClient.prefetchQuery(roiPageQuery(deps));
  },
  component: lazyRouteComponent(() => import('./page.tsx')),
});

export const nav: Nav = { label: 'ROI review', order: 30, minRole: 'viewer' };
