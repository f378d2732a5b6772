/**
 * The app's URL search format: plain `key=value` pairs, lists comma-joined (`flags=a,b`), no JSON in
 * the URL (the router's default would quote strings and bracket arrays). Every route's
 * validateSearch receives strings and turns them into its typed state.
 */

export type SearchValue = string | number | boolean | readonly (string | number)[] | null | undefined;

export function parseSearchString(search: string): Record<string, string> {
  const out: Record<string, string> = {};
  const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  for (const [key, value] of params) out[key] = value;
  return out;
}

/** `?a=1&b=x,y` (or '' when empty); undefined, null, '' and empty lists are left out. */
export function stringifySearchObject(search: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) params.set(key, value.join(','));
    } else if (typeof value === 'object') {
      params.set(key, JSON.stringify(value));
    } else params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A change of page or of rows per page, in the URL search's own keys. */
export type PagePatch = { page: number } | { page_size: number };

/**
 * The same change for a URL that leaves defaults out (page 1, `defaultSize` rows): a new page size
 * starts again at the first page.
 */
export function compactPaging(
  patch: PagePatch,
  defaultSize = 50,
): { page?: number | undefined; page_size?: number | undefined } {
  if ('page' in patch) return { page: patch.page > 1 ? patch.page : undefined };
  return { page_size: patch.page_size === defaultSize ? undefined : patch.page_size, page: undefined };
}

/** A click on a sortable header: the sorted column flips its order, another starts at its default. */
export function nextSort<S extends string>(
  current: { sort: S; order: 'asc' | 'desc' },
  sort: S,
  defaultOrder: (sort: S) => 'asc' | 'desc',
): { sort: S; order: 'asc' | 'desc' } {
  if (current.sort !== sort) return { sort, order: defaultOrder(sort) };
  return { sort, order: current.order === 'asc' ? 'desc' : 'asc' };
}
