import { type Rounded, roundOrderQty } from './restock-rounding.ts';

/** How a wanted quantity became the ordered one, in words ('' when it did not change). */
export function roundingNote(wanted: number, r: Rounded): string {
  if (r.qty === 0) return '';
  const cases = r.casePack > 1 ? `${r.cases} case${r.cases === 1 ? '' : 's'} of ${r.casePack}` : '';
  if (r.raisedToMoq) return `MOQ ${r.moq}${cases ? ` · ${cases}` : ''}`;
  if (r.qty !== wanted && !cases) return 'whole units';
  return cases;
}

export interface QtyLine {
  sku: string;
  qty: number;
  case_pack: number;
  moq: number;
}

/** What a line orders: the typed quantity rounded the planner's way, else the plan's suggestion. */
export function orderedQty(line: QtyLine, typed: number | undefined): { wanted: number; rounded: Rounded } {
  const wanted = typed ?? line.qty;
  return { wanted, rounded: roundOrderQty(wanted, line.case_pack, line.moq) };
}

/**
 * The body of POST /restock/plans/{id}/purchase-orders: the chosen SKUs (or every order line), each
 * with the quantity typed for it; the server rounds it the same way.
 */
export function fromPlanBody(
  selection: { mode: 'some'; keys: ReadonlySet<string> } | { mode: 'all' },
  typed: ReadonlyMap<string, number>,
  dryRun: boolean,
) {
  if (selection.mode === 'all') {
    const lines = [...typed.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([sku, qty]) => ({ sku, qty }));
    return { all_order_lines: true, ...(lines.length > 0 ? { lines } : {}), dry_run: dryRun };
  }
  const lines = [...selection.keys].sort().map((sku) => {
    const qty = typed.get(sku);
    return qty === undefined ? { sku } : { sku, qty };
  });
  return { lines, dry_run: dryRun };
}
