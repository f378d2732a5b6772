import { queryOptions, useQuery, useSuspenseQuery } from '@tanstack/react-query';
import type { Thresholds } from '../lib/thresholds.ts';
import { apiClient, setCsrfToken, unwrap } from './client.ts';
import type { GetResult } from './types.ts';

/** GET /api/v1/me: who is signed in (a session, or a bearer token through the dev proxy). */
export type Me = GetResult<'/api/v1/me'>;
export type Role = Me['role'];

/** GET /api/v1/me/preferences: the user's own thresholds and locale (null = not set). */
export type Preferences = Thresholds & { locale: string | null };

const ROLE_RANK: Record<Role, number> = { viewer: 0, ops: 1, admin: 2 };

export function hasRole(have: Role | undefined, need: Role): boolean {
  return have !== undefined && ROLE_RANK[have] >= ROLE_RANK[need];
}

export const meQuery = queryOptions({
  queryKey: ['me'],
  queryFn: async () => {
    const me = await unwrap(apiClient.GET('/api/v1/me'));
    setCsrfToken(me.csrf_token);
    return me;
  },
  staleTime: 60_000,
  retry: false,
});

const NO_PREFERENCES: Preferences = {
  min_roi_pct: null,
  min_profit: null,
  max_sales_rank: null,
  locale: null,
};

export const preferencesQuery = queryOptions({
  queryKey: ['me', 'preferences'],
  queryFn: async (): Promise<Preferences> => {
    try {
      return await unwrap(apiClient.GET('/api/v1/me/preferences'));
    } catch {
      // Preferences only colour cells and pick a locale: their absence must not block a page.
      return NO_PREFERENCES;
    }
  },
  staleTime: 5 * 60_000,
});

/** The signed-in user. Only for components under the signed-in layout (its loader fetched /me). */
export function useMe(): Me {
  return useSuspenseQuery(meQuery).data;
}

export function usePreferences(): Preferences {
  return useQuery(preferencesQuery).data ?? NO_PREFERENCES;
}

/** The locale every number and date is shown in: the user's preference, else the browser's. */
export function useLocale(): string {
  const prefs = usePreferences();
  return prefs.locale || (typeof navigator !== 'undefined' ? navigator.language : 'en-US') || 'en-US';
}

/** The marketplace currency (never assume €): /me's currency, else the row's own. */
export function useCurrency(): string | undefined {
  return useMe().currency ?? undefined;
}
