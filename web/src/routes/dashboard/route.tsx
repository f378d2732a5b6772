import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { dashboardQuery } from '../../api/dashboard.ts';
import type { Nav } from '../../app/context.ts';
import { signedInRoute } from '../../app/shell.tsx';

export const route = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/',
  // ask for the figures while the page's code downloads
  loader: ({ context }) => {
    void context.queryClient.prefetchQuery(dashboardQuery);
  },
  component: lazyRouteComponent(() => import('./page.tsx')),
});

export const nav: Nav = { label: 'Dashboard', order: 10, minRole: 'viewer' };
