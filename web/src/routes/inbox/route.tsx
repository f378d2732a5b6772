import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { tasksQuery } from '../../api/tasks.ts';
import type { Nav } from '../../app/context.ts';
import { signedInRoute } from '../../app/shell.tsx';
import { InboxBadge } from './badge.tsx';
import { type InboxSearch, inboxApiQuery, parseInboxSearch } from './search.ts';

export const route = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/inbox',
  validateSearch: (search: Record<string, unknown>): InboxSearch => parseInboxSearch(search),
  loaderDeps: ({ search }) => inboxApiQuery(search),
  // the tasks while the page's code downloads (not awaited: the page shows its own loading state)
  loader: ({ context, deps }) => {
    void context.queryClient.prefetchQuery(tasksQuery(deps));
  },
  component: lazyRouteComponent(() => import('./page.tsx')),
});

export const nav: Nav = { label: 'Inbox', order: 20, minRole: 'viewer', badge: InboxBadge };
