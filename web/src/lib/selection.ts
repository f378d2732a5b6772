/**
 * Row selection for bulk actions: some ASINs picked by hand (across pages), or "all N matching the
 * filter". Selecting all matching is tied to the filter it was made on: any filter change clears it,
 * so the confirm dialog's count is always the count of what the user is looking at.
 */
export type SelectionState = { mode: 'some'; keys: ReadonlySet<string> } | { mode: 'all'; filterKey: string };

export const EMPTY_SELECTION: SelectionState = { mode: 'some', keys: new Set() };

export function isSelected(s: SelectionState, key: string): boolean {
  return s.mode === 'all' || s.keys.has(key);
}

export function toggleKey(s: SelectionState, key: string, pageKeys: readonly string[]): SelectionState {
  // unticking one row out of "all matching" leaves the rest of this page picked by hand
  const keys = new Set(s.mode === 'all' ? pageKeys : s.keys);
  if (keys.has(key)) keys.delete(key);
  else keys.add(key);
  return { mode: 'some', keys };
}

export function togglePage(s: SelectionState, pageKeys: readonly string[], select: boolean): SelectionState {
  if (s.mode === 'all') return select ? s : EMPTY_SELECTION;
  const keys = new Set(s.keys);
  for (const k of pageKeys) {
    if (select) keys.add(k);
    else keys.delete(k);
  }
  return { mode: 'some', keys };
}

export function selectAllMatching(filterKey: string): SelectionState {
  return { mode: 'all', filterKey };
}

/** How many are selected: the hand-picked ones, or all matching (`matching` = the server's count). */
export function selectedCount(s: SelectionState, matching: number | undefined): number | undefined {
  return s.mode === 'all' ? matching : s.keys.size;
}

/** A selection made on another filter is void. */
export function forFilter(s: SelectionState, filterKey: string): SelectionState {
  return s.mode === 'all' && s.filterKey !== filterKey ? EMPTY_SELECTION : s;
}

export type Decision = 'approved' | 'rejected' | 'observe';

/** The body of POST /api/v1/roi/approve for this selection. */
export function approveBody<F>(
  s: SelectionState,
  filter: F,
  matching: number | undefined,
  status: Decision,
  dryRun: boolean,
):
  | { asins: string[]; status: Decision; dry_run: boolean }
  | { filter: F; expected_count: number; status: Decision; dry_run: boolean } {
  if (s.mode === 'all') {
    if (matching === undefined) throw new Error('the number of matching products is not known yet');
    return { filter, expected_count: matching, status, dry_run: dryRun };
  }
  return { asins: [...s.keys].sort(), status, dry_run: dryRun };
}
