import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import type { Nav } from '../../app/context.ts';
import { signedInRoute } from '../../app/shell.tsx';
import { parsePriceListsSearch } from './search.ts';

export const route = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/price-lists',
  validateSearch: parsePriceListsSearch,
  component: lazyRouteComponent(() => import('./page.tsx')),
});

// viewers see the vendors and their history; the upload form needs ops (the page hides it)
export const nav: Nav = { label: 'Vendors & price lists', order: 40, minRole: 'viewer' };
