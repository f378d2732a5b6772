/**
 * Which columns a user hid, remembered per table in localStorage. Pure over a Storage-like object so
 * it is tested in Node; a broken or old entry falls back to the table's defaults.
 */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function columnsKey(table: string): string {
  return `awa:columns:${table}`;
}

/** The hidden column ids: the stored list (known ids only), else the defaults. */
export function loadHidden(
  store: KeyValueStore | undefined,
  table: string,
  known: readonly string[],
  defaults: readonly string[],
): string[] {
  let raw: string | null = null;
  try {
    raw = store?.getItem(columnsKey(table)) ?? null;
  } catch {
    raw = null; // storage blocked (private mode): defaults
  }
  if (raw === null) return [...defaults];
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return [...defaults];
    const set = new Set(parsed.filter((x): x is string => typeof x === 'string'));
    return known.filter((id) => set.has(id));
  } catch {
    return [...defaults];
  }
}

export function saveHidden(store: KeyValueStore | undefined, table: string, hidden: readonly string[]): void {
  try {
    store?.setItem(columnsKey(table), JSON.stringify([...new Set(hidden)]));
  } catch {
    // a full or blocked storage only means the choice is not remembered
  }
}

/** Shows or hides one column; `locked` columns (e.g. ASIN) can never be hidden. */
export function toggleHidden(
  hidden: readonly string[],
  id: string,
  locked: readonly string[] = [],
): string[] {
  if (locked.includes(id)) return [...hidden];
  return hidden.includes(id) ? hidden.filter((h) => h !== id) : [...hidden, id];
}
