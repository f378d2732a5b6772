import { createPortal } from 'react-dom';
import type uPlot from 'uplot';
import type { Marker, PriceChangeInput } from '../../lib/chart-data.ts';
import { formatDateTime, formatMoney } from '../../lib/format.ts';

/**
 * Where our price changed: a real button per change, laid over uPlot's plotting area (so it moves
 * with zoom and resize), opening the decision behind it on click, Enter or Space.
 */
export function Markers<C extends PriceChangeInput>({
  plot,
  markers,
  layout,
  visible,
  currency,
  locale,
  selected,
  onSelect,
}: {
  plot: uPlot;
  markers: readonly Marker<C>[];
  /** Changes after every redraw: positions are re-read from the scales. */
  layout: number;
  visible: boolean;
  currency: string | undefined;
  locale: string;
  selected: Marker<C> | null;
  onSelect: (m: Marker<C>) => void;
}) {
  if (!visible || markers.length === 0 || layout < 0) return null;
  const xMin = plot.scales['x']?.min ?? Number.NEGATIVE_INFINITY;
  const xMax = plot.scales['x']?.max ?? Number.POSITIVE_INFINITY;
  const items = markers.filter((m) => m.x >= xMin && m.x <= xMax);
  return createPortal(
    <ul aria-label="Price changes" className="absolute inset-0 pointer-events-none m-0 list-none p-0">
      {items.map((m) => {
        const left = plot.valToPos(m.x, 'x');
        const top = plot.valToPos(m.y, 'money');
        const from = formatMoney(m.change.from, currency, locale);
        const to = formatMoney(m.change.to, currency, locale);
        // a dry-run decision proposed a price but set none: drawn hollow
        const dry = m.change['dry_run'] === true || m.change['mode'] === 'dry_run';
        const label = `Our price ${from} → ${to}${dry ? ' (dry run, not applied)' : ''}, ${formatDateTime(
          m.x * 1000,
          locale,
        )}${m.change.reason ? `: ${m.change.reason}` : ''}`;
        const isSelected = selected?.change === m.change;
        return (
          <li key={`${m.x}-${m.y}-${String(m.change.at)}`}>
            <button
              type="button"
              aria-label={label}
              title={label}
              aria-pressed={isSelected}
              // uPlot starts a zoom selection on mousedown in its plotting area
              onMouseDown={(e) => e.stopPropagation()}
              onClick={() => onSelect(m)}
              className={`pointer-events-auto absolute size-3.5 -translate-x-1/2 -translate-y-1/2 rotate-45 border-2 shadow ${
                dry ? 'border-emerald-800 bg-white' : 'border-white bg-emerald-800'
              } ${isSelected ? 'ring-2 ring-emerald-500 ring-offset-1' : ''}`}
              style={{ left, top }}
            />
          </li>
        );
      })}
    </ul>,
    plot.over,
  );
}
