import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import type { Nav } from '../../app/context.ts';
import { signedInRoute } from '../../app/shell.tsx';
import { parseTeamSearch, type TeamSearch } from '../../lib/team-search.ts';

export const route = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/team',
  validateSearch: (search: Record<string, unknown>): TeamSearch => parseTeamSearch(search),
  component: lazyRouteComponent(() => import('./page.tsx')),
});

export const nav: Nav = { label: 'Team', order: 110, minRole: 'admin' };
