/**
 * The tasks ticked for a bulk move: a click toggles one, a shift-click ticks (or unticks) the whole
 * range from the last clicked row, as in a mail client. Ticks follow the list: a task that left it
 * (moved, filtered out, another page) is no longer ticked.
 */
export type Picked = ReadonlySet<number>;

export function togglePick(picked: Picked, id: number): Set<number> {
  const next = new Set(picked);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

/** Shift-click: every row between the anchor and `id` (in list order) takes `id`'s new state. */
export function rangePick(
  picked: Picked,
  order: readonly number[],
  anchor: number | null,
  id: number,
): Set<number> {
  const to = order.indexOf(id);
  const from = anchor === null ? -1 : order.indexOf(anchor);
  if (to < 0 || from < 0) return togglePick(picked, id);
  const on = !picked.has(id);
  const next = new Set(picked);
  for (const rowId of order.slice(Math.min(from, to), Math.max(from, to) + 1)) {
    if (on) next.add(rowId);
    else next.delete(rowId);
  }
  return next;
}

/** The ticked tasks still in the list, in list order. */
export function pickedInOrder(picked: Picked, order: readonly number[]): number[] {
  return order.filter((id) => picked.has(id));
}
