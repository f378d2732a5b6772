import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { createRouter } from '@tanstack/react-router';
import { ApiError } from '../api/client.ts';
import { parseSearchString, stringifySearchObject } from '../lib/search-params.ts';
import { loginRoute } from '../routes/login/route.tsx';
import { ErrorState, Loading } from '../ui/states.tsx';
import type { NavItem } from './context.ts';
import { pages } from './pages.ts';
import { rootRoute } from './root.tsx';
import { signedInRoute } from './shell.tsx';

/**
 * A session that ends while a page is open (idle timeout, signed out elsewhere, user disabled): the
 * next request answers 401 and the user is sent to sign in, coming back here afterwards. The sign-in
 * page's own /me check answers 401 too: that one is expected.
 */
function onError(err: unknown) {
  if (!(err instanceof ApiError) || err.status !== 401) return;
  const { pathname, href } = router.state.location;
  if (pathname === '/login') return;
  queryClient.removeQueries({ queryKey: ['me'], exact: true });
  void router.navigate({ to: '/login', search: { next: href } });
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // a 4xx answer will not change by asking again
      retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
    },
  },
});

// the pages' routes as a tuple type, so typed links know every path and its search params
type RoutesOf<T extends readonly unknown[]> = {
  -readonly [K in keyof T]: T[K] extends { route: infer R } ? R : never;
};
type PageRoutes = RoutesOf<typeof pages>;

// filled below: a route knows its full path only once the router has built the tree
const nav: NavItem[] = [];

const routeTree = rootRoute.addChildren([
  loginRoute,
  signedInRoute.addChildren(pages.map((p) => p.route) as unknown as PageRoutes),
]);

export const router = createRouter({
  routeTree,
  context: { queryClient, nav },
  // plain `key=value` URLs (lists comma-joined); each route's validateSearch types the strings
  parseSearch: parseSearchString,
  stringifySearch: stringifySearchObject,
  defaultPreload: 'intent',
  // the query cache holds the data: the router must not cache loader results on its own
  defaultPreloadStaleTime: 0,
  scrollRestoration: true,
  defaultPendingComponent: () => <Loading />,
  defaultErrorComponent: ({ error, reset }) => <ErrorState error={error} onRetry={reset} />,
});

nav.push(...pages.flatMap((p) => (p.nav ? [{ ...p.nav, to: p.route.fullPath }] : [])));

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
