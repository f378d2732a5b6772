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
