import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { rootRoute } from '../../app/root.tsx';

export interface LoginSearch {
  /** Where to go after signing in (a path of this app). */
  next?: string;
}

/** Only same-app paths: `next` must not send a signed-in user to another site. */
export function safeNext(value: unknown): string | undefined {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : undefined;
}

// Outside the signed-in layout: it must render without a session.
export const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  validateSearch: (search: Record<string, unknown>): LoginSearch => {
    const next = safeNext(search['next']);
    return next ? { next } : {};
  },
  component: lazyRouteComponent(() => import('./page.tsx')),
});
