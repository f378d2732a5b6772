import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import type { Nav } from '../../app/context.ts';
import { signedInRoute } from '../../app/shell.tsx';

export const route = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/settings',
  component: lazyRouteComponent(() => import('./page.tsx')),
});

export const nav: Nav = { label: 'Settings', order: 120, minRole: 'viewer' };
