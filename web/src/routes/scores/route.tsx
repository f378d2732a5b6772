import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { scoresPageQuery } from '../../api/scores.ts';
import type { Nav } from '../../app/context.ts';
import { signedInRoute } from '../../app/shell.tsx';
import { parseScoresSearch, type ScoresSearch } from '../../lib/scores-search.ts';

export const route = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/scores',
  validateSearch: (search: Record<string, unknown>): ScoresSearch => parseScoresSearch(search),
  loaderDeps: ({ search }) => search,
  loader: ({ context, deps }) => {
    void context.queryClient.prefetchQuery(scoresPageQuery(deps));
  },
  component: lazyRouteComponent(() => import('./page.tsx')),
});

export const nav: Nav = { label: 'Scores', order: 80, minRole: 'viewer' };
