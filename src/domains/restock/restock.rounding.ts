/**
 * How a wanted quantity becomes an orderable one (SPEC §9): rounded UP to whole case packs, and to at
 * least the MOQ (itself rounded up to whole cases, since a vendor ships cases). The planner uses it
 * for its suggestions and the purchase orders placed from a plan use it for edited quantities; the
 * web app has a copy of it (lib/restock-rounding.ts under web/src) that a test holds equal to this one.
 */
export interface Rounded {
  /** Units to order: a whole number of cases, at least the MOQ; 0 when nothing is wanted. */
  qty: number;
  /** Cases of `casePack` units. */
  cases: number;
  casePack: number;
  moq: number;
  /** The MOQ, not the wanted quantity, decided the order. */
  raisedToMoq: boolean;
  /** The order differs from what was wanted (rounded to a case or raised to the MOQ). */
  changed: boolean;
}

export function roundOrderQty(wanted: number, casePack: number, moq: number): Rounded {
  const pack = Math.max(1, Math.trunc(casePack) || 1);
  const min = Math.max(0, Math.trunc(moq) || 0);
  // the tolerance keeps 420.0000000001 (float noise of S − position) from adding a whole case
  const units = Number.isFinite(wanted) ? Math.max(0, Math.ceil(wanted - 1e-9)) : 0;
  if (units === 0) return { qty: 0, cases: 0, casePack: pack, moq: min, raisedToMoq: false, changed: false };
  let qty = Math.ceil(units / pack) * pack;
  let raisedToMoq = false;
  if (qty < min) {
    qty = Math.ceil(min / pack) * pack;
    raisedToMoq = true;
  }
  return { qty, cases: qty / pack, casePack: pack, moq: min, raisedToMoq, changed: qty !== wanted };
}
