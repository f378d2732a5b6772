import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import type { Nav } from '../../app/context.ts';
import { signedInRoute } from '../../app/shell.tsx';

/** The chart's range in the URL: `?days=7|30|90|all` (90 when absent). Numbers stay numbers in the URL. */
export type Days = 7 | 30 | 90 | 'all';

export interface SkuSearch {
  days?: Days;
}

export function parseDays(v: unknown): Days | undefined {
  const s = String(v);
  if (s === '7' || s === '30' || s === '90') return Number(s) as Days;
  return s === 'all' ? 'all' : undefined;
}

export const route = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/sku/$asin',
  validateSearch: (search: Record<string, unknown>): SkuSearch => {
    const days = parseDays(search['days']);
    return days === undefined || days === 90 ? {} : { days };
  },
  component: lazyRouteComponent(() => import('./page.tsx')),
});

// reached from ROI review and search, not from the navigation
export const nav: Nav | null = null;
