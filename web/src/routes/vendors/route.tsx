import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { vendorsPageQuery } from '../../api/vendors.ts';
import type { Nav } from '../../app/context.ts';
import { signedInRoute } from '../../app/shell.tsx';
import { parseVendorsSearch, type VendorsSearch } from '../../lib/vendors-search.ts';

export const route = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/vendors',
  validateSearch: (search: Record<string, unknown>): VendorsSearch => parseVendorsSearch(search),
  loaderDeps: ({ search }) => search,
  loader: ({ context, deps }) => {
    void context.queryClient.prefetchQuery(vendorsPageQuery(deps));
  },
  component: lazyRouteComponent(() => import('./page.tsx')),
});

// reached from the "Vendors & price lists" entry's tab bar (UI.md lists one entry for both pages)
export const nav: Nav | null = null;
