import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import type { Nav } from '../../app/context.ts';
import { signedInRoute } from '../../app/shell.tsx';

export const route = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/vendors',
  component: lazyRouteComponent(() => import('./page.tsx')),
});

export const nav: Nav = { label: 'Vendors', order: 41, minRole: 'viewer' };
