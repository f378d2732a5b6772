import type { LineFlag } from './restock-search.ts';

/**
 * A plan line's state in words and a symbol (colour is never the only signal), the same words the
 * filter offers. The flag itself comes from the API (GET /restock/plans/{id}).
 */
export const FLAG_INFO: Record<
  LineFlag,
  { label: string; icon: string; className: string; explain: string }
> = {
  stockout: {
    label: 'Stock-out risk',
    icon: '✕',
    className: 'border-red-300 bg-red-50 text-red-900',
    explain:
      'the stock position lasts fewer days than the lead time: it runs out before an order placed today arrives',
  },
  below_rop: {
    label: 'Below reorder point',
    icon: '▲',
    className: 'border-amber-300 bg-amber-50 text-amber-950',
    explain: 'the stock position is at or under the reorder point: time to order',
  },
  ok: {
    label: 'Fine',
    icon: '✓',
    className: 'border-green-300 bg-green-50 text-green-900',
    explain: 'the stock position is above the reorder point',
  },
  no_demand: {
    label: 'No demand',
    icon: '–',
    className: 'border-slate-300 bg-slate-50 text-slate-700',
    explain: 'no sales in the window: nothing to plan on',
  },
};

export function flagInfo(flag: string) {
  return FLAG_INFO[flag as LineFlag] ?? FLAG_INFO.no_demand;
}
