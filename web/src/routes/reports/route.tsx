import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { loadsPageQuery } from '../../api/reports.ts';
import type { Nav } from '../../app/context.ts';
import { signedInRoute } from '../../app/shell.tsx';
import { parseReportsSearch, type ReportsSearch } from '../../lib/reports-search.ts';

export const route = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/reports',
  validateSearch: (search: Record<string, unknown>): ReportsSearch => parseReportsSearch(search),
  loaderDeps: ({ search }) => search,
  // ask for the history while the page's code downloads
  loader: ({ context, deps }) => {
    void context.queryClient.prefetchQuery(loadsPageQuery(deps));
  },
  component: lazyRouteComponent(() => import('./page.tsx')),
});

// viewers see the history; loading a report needs ops (the page hides the form)
export const nav: Nav = { label: 'Reports', order: 90, minRole: 'viewer' };
