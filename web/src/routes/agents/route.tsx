import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { agentRunsQuery, agentStatusQuery } from '../../api/agents.ts';
import type { Nav } from '../../app/context.ts';
import { signedInRoute } from '../../app/shell.tsx';
import { type AgentsSearch, parseAgentsSearch } from '../../lib/agents-search.ts';

export const route = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/agents',
  validateSearch: (search: Record<string, unknown>): AgentsSearch => parseAgentsSearch(search),
  loaderDeps: ({ search }) => search,
  // ask for the agents and their history while the page's code downloads
  loader: ({ context, deps }) => {
    void context.queryClient.prefetchQuery(agentStatusQuery);
    void context.queryClient.prefetchQuery(agentRunsQuery(deps));
  },
  component: lazyRouteComponent(() => import('./page.tsx')),
});

// everyone sees the agents; "Run now" needs admin (the page hides it, the API refuses it)
export const nav: Nav = { label: 'Agents', order: 100, minRole: 'viewer' };
