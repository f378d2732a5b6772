/**
 * Colours a figure against the user's own thresholds (Settings: minimum ROI, minimum profit,
 * maximum sales rank). `meets` = green + ✓, `misses` = red + ✗, `missing` = the input is absent
 * (grey, with the flag chip saying why), `plain` = the user set no threshold for it.
 */
import { toNumber } from './format.ts';

export type Verdict = 'meets' | 'misses' | 'missing' | 'plain';

export interface Thresholds {
  min_roi_pct: number | null;
  min_profit: number | null;
  max_sales_rank: number | null;
}

/** `direction` min: the value must be ≥ the threshold; max: ≤ it (a sales rank: lower is better). */
export function classify(value: unknown, threshold: unknown, direction: 'min' | 'max'): Verdict {
  const v = toNumber(value);
  if (v === null) return 'missing';
  const t = toNumber(threshold);
  if (t === null) return 'plain';
  return (direction === 'min' ? v >= t : v <= t) ? 'meets' : 'misses';
}

export type Measure = 'roi' | 'profit' | 'sales_rank';

export function classifyMeasure(measure: Measure, value: unknown, t: Thresholds): Verdict {
  switch (measure) {
    case 'roi':
      return classify(value, t.min_roi_pct, 'min');
    case 'profit':
      return classify(value, t.min_profit, 'min');
    case 'sales_rank':
      return classify(value, t.max_sales_rank, 'max');
  }
}

/** The words beside the colour (colour is never the only signal), also for screen readers. */
export function verdictLabel(verdict: Verdict, measure: Measure, t: Thresholds): string {
  const what =
    measure === 'roi' ? 'minimum ROI' : measure === 'profit' ? 'minimum profit' : 'maximum sales rank';
  const limit = measure === 'roi' ? t.min_roi_pct : measure === 'profit' ? t.min_profit : t.max_sales_rank;
  switch (verdict) {
    case 'meets':
      return `meets your ${what} (${limit})`;
    case 'misses':
      return `misses your ${what} (${limit})`;
    case 'missing':
      return 'input missing';
    case 'plain':
      return '';
  }
}

export const VERDICT_MARK: Record<Verdict, string> = { meets: '✓', misses: '✗', missing: '', plain: '' };
