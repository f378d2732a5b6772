import { createRoute, redirect } from '@tanstack/react-router';
import { ApiError } from '../api/client.ts';
import { type Me, meQuery, preferencesQuery } from '../api/session.ts';
import { ErrorState } from '../ui/states.tsx';
import { SignedInLayout } from './layout.tsx';
import { rootRoute } from './root.tsx';

/**
 * The signed-in layout: every page of pages.ts lives under it (`getParentRoute: () => signedInRoute`).
 * Before any page loads it asks GET /api/v1/me; no session → /login?next=<here>; a password that
 * must change → the sign-in page's change-password form first.
 */
export const signedInRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'signed-in',
  beforeLoad: async ({ context, location }) => {
    let me: Me;
    try {
      me = await context.queryClient.ensureQueryData(meQuery);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        throw redirect({ to: '/login', search: { next: location.href } });
      }
      throw err;
    }
    if (me.must_change_password) throw redirect({ to: '/login', search: { next: location.href } });
    // preferences colour cells and set the locale; start fetching, never wait for them
    void context.queryClient.prefetchQuery(preferencesQuery);
    return { me };
  },
  component: SignedInLayout,
  errorComponent: ({ error, reset }) => (
    <main className="mx-auto max-w-xl p-8">
      <ErrorState error={error} title="AWA could not load your session" onRetry={reset} />
    </main>
  ),
});
