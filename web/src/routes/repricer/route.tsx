import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { logQuery, rulesQuery, simulationQuery } from '../../api/repricer.ts';
import type { Nav } from '../../app/context.ts';
import { signedInRoute } from '../../app/shell.tsx';
import { parseRepricerSearch, type RepricerSearch } from '../../lib/repricer-search.ts';

export const route = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/repricer',
  validateSearch: (search: Record<string, unknown>): RepricerSearch => parseRepricerSearch(search),
  loaderDeps: ({ search }) => search,
  // ask for the tab's rows while the page's code downloads (the page shows its own loading state)
  loader: ({ context, deps }) => {
    const tab = deps.tab ?? 'rules';
    const q = tab === 'log' ? logQuery(deps) : tab === 'simulate' ? simulationQuery(deps) : rulesQuery(deps);
    void context.queryClient.prefetchQuery(q as ReturnType<typeof rulesQuery>);
  },
  component: lazyRouteComponent(() => import('./page.tsx')),
});

export const nav: Nav = { label: 'Repricer', order: 70, minRole: 'viewer' };
