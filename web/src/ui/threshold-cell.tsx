import type { ReactNode } from 'react';
import {
  classifyMeasure,
  type Measure,
  type Thresholds,
  VERDICT_MARK,
  verdictLabel,
} from '../lib/thresholds.ts';

const COLOUR = {
  meets: 'text-green-800',
  misses: 'text-red-700',
  missing: 'text-slate-400',
  plain: 'text-slate-900',
} as const;

/**
 * A figure coloured against the user's own threshold, with ✓/✗ (colour is never the only signal)
 * and the verdict in words for hover and screen readers. A missing figure is a grey dash.
 */
export function ThresholdCell({
  measure,
  value,
  thresholds,
  children,
}: {
  measure: Measure;
  value: unknown;
  thresholds: Thresholds;
  /** The formatted value. */
  children: ReactNode;
}) {
  const verdict = classifyMeasure(measure, value, thresholds);
  const label = verdictLabel(verdict, measure, thresholds);
  return (
    <span className={`tabular-nums ${COLOUR[verdict]}`} title={label || undefined}>
      {children}
      {VERDICT_MARK[verdict] ? (
        <span aria-hidden className="ml-1 text-xs">
          {VERDICT_MARK[verdict]}
        </span>
      ) : null}
      {label ? <span className="sr-only">, {label}</span> : null}
    </span>
  );
}
