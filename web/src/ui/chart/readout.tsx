import type { ChartModel, SeriesKey } from '../../lib/chart-data.ts';
import { formatDateTime, formatMoney } from '../../lib/format.ts';
import { SERIES, type SeriesStyle, seriesValueText } from './series.ts';

export type Cursor = { idx: number; t: number } | null;

interface Item {
  style: SeriesStyle;
  text: string;
}

/** Every present series' value in force at the cursor (the latest values without one). */
function readoutItems(model: ChartModel, cursor: Cursor, currency: string | undefined, locale: string) {
  const at = cursor?.idx ?? model.xs.length - 1;
  if (model.xs[at] === undefined) return null;
  const items: Item[] = SERIES.filter((s) => model.present[s.key]).map((s) => {
    const v = model.value[s.key][at] ?? null;
    const text = seriesValueText(s, v, currency, locale, '#');
    return { style: s, text };
  });
  const when = cursor === null ? 'Now' : formatDateTime(cursor.t * 1000, locale);
  const guard = model.band
    ? `${formatMoney(model.band.floor, currency, locale)} – ${
        model.band.ceiling === null ? 'no ceiling' : formatMoney(model.band.ceiling, currency, locale)
      }`
    : null;
  return { when, items, guard };
}

/** The readout as one sentence, for the crosshair control's aria-valuetext. */
export function readoutText(model: ChartModel, cursor: Cursor, currency: string | undefined, locale: string) {
  const r = readoutItems(model, cursor, currency, locale);
  if (!r) return 'No data';
  return `${r.when}: ${r.items.map((i) => `${i.style.label} ${i.text}`).join(', ')}`;
}

/**
 * The crosshair's readout: every series' value in force at the moment under the cursor (or the
 * latest values when the cursor is off the chart), in the user's locale and the marketplace currency.
 */
export function Readout({
  model,
  cursor,
  currency,
  locale,
  hidden,
}: {
  model: ChartModel;
  cursor: Cursor;
  currency: string | undefined;
  locale: string;
  hidden: ReadonlySet<SeriesKey>;
}) {
  const r = readoutItems(model, cursor, currency, locale);
  if (!r) return null;
  return (
    <div
      className="mb-1 flex min-h-6 flex-wrap items-baseline gap-x-4 gap-y-0.5 text-xs text-slate-700"
      data-testid="chart-readout"
    >
      <span className="font-medium text-slate-900">{r.when}</span>
      {r.items.map(({ style: s, text }) => (
        <span key={s.key} className={`whitespace-nowrap ${hidden.has(s.key) ? 'opacity-50' : ''}`}>
          <span
            aria-hidden
            className="mr-1 inline-block size-2 rounded-full"
            style={{ background: s.color }}
          />
          {s.label} <span className="font-semibold tabular-nums text-slate-900">{text}</span>
        </span>
      ))}
      {r.guard ? (
        <span className="whitespace-nowrap" title="The repricer keeps our price inside this guard">
          Guard <span className="font-semibold tabular-nums text-slate-900">{r.guard}</span>
        </span>
      ) : null}
    </div>
  );
}
