import type { SeriesKey } from '../../lib/chart-data.ts';
import { DASH, formatInt, formatMoney } from '../../lib/format.ts';

export interface SeriesStyle {
  key: SeriesKey;
  label: string;
  /** What the series is, for the legend button's title. */
  hint: string;
  color: string;
  width: number;
  /** Prices hold until the next change: drawn as steps. */
  step: boolean;
  /** Area fill under the line (Amazon's own offer: shaded while Amazon sells). */
  fill?: string;
  /** 'money' on the left axis, 'rank' on the right. */
  scale: 'money' | 'rank';
}

// Keepa's colours, so its users read the chart at a glance (UI.md "The SKU chart").
export const SERIES: readonly SeriesStyle[] = [
  {
    key: 'buybox',
    label: 'Buy box',
    hint: 'Price of the featured offer, what a buyer pays',
    color: '#d1127f',
    width: 2,
    step: true,
    scale: 'money',
  },
  {
    key: 'amazon',
    label: 'Amazon',
    hint: "Amazon's own offer; shaded while Amazon sells",
    color: '#f08c00',
    width: 1.5,
    step: true,
    fill: 'rgba(240, 140, 0, 0.14)',
    scale: 'money',
  },
  {
    key: 'new_fba',
    label: 'New FBA',
    hint: 'Lowest new offer fulfilled by Amazon',
    color: '#1d5fd1',
    width: 1.5,
    step: false,
    scale: 'money',
  },
  {
    key: 'new_fbm',
    label: 'New FBM',
    hint: 'Lowest new offer fulfilled by the merchant',
    color: '#5fb3ee',
    width: 1.5,
    step: false,
    scale: 'money',
  },
  {
    key: 'our_price',
    label: 'Our price',
    hint: 'Our own offer price; markers show where the repricer changed it',
    color: '#0b5e2b',
    width: 2.5,
    step: true,
    scale: 'money',
  },
  {
    key: 'rank',
    label: 'Sales rank',
    hint: 'Best-seller rank in the main category (right axis, lower sells more)',
    color: '#36a852',
    width: 1,
    step: false,
    scale: 'rank',
  },
];

export const GUARD_FILL = 'rgba(100, 116, 139, 0.13)';
export const GUARD_STROKE = 'rgba(71, 85, 105, 0.55)';

/**
 * A series' value as the readout and the table show it: money in the marketplace currency, a sales
 * rank as a whole number (`#` in front where it stands without its column header), a gap as a dash
 * — except Amazon's own offer, whose absence means Amazon is not selling.
 */
export function seriesValueText(
  s: SeriesStyle,
  v: number | null,
  currency: string | undefined,
  locale: string,
  rankPrefix = '',
): string {
  if (v === null) return s.key === 'amazon' ? 'not selling' : DASH;
  return s.scale === 'money' ? formatMoney(v, currency, locale) : `${rankPrefix}${formatInt(v, locale)}`;
}
