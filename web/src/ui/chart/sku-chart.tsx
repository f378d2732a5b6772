import 'uplot/dist/uPlot.min.css';
import { type KeyboardEvent, type ReactNode, useMemo, useRef, useState } from 'react';
import {
  buildChartModel,
  type GuardInput,
  type Marker,
  type PriceChangeInput,
  RANGES,
  type RangeKey,
  type SeriesInput,
  type SeriesKey,
} from '../../lib/chart-data.ts';
import { ChartTable } from './chart-table.tsx';
import { Markers } from './markers.tsx';
import { Readout, readoutText } from './readout.tsx';
import { SERIES } from './series.ts';
import { usePlot } from './use-plot.ts';

const RANGE_LABELS: Record<RangeKey, string> = {
  '7': '7 days',
  '30': '30 days',
  '90': '90 days',
  all: 'All',
};

export interface SkuChartProps<C extends PriceChangeInput> {
  series: SeriesInput | null | undefined;
  guard?: GuardInput | null;
  changes?: readonly C[] | null;
  range: RangeKey;
  onRangeChange: (range: RangeKey) => void;
  /** The marketplace currency every price of the chart is in. */
  currency: string | undefined;
  locale: string;
  /** The right edge of the chart, epoch seconds (default: when the data arrived). */
  now?: number;
  /** Shows the decision behind a price change marker (default: from → to and the reason). */
  renderChange?: (change: C) => ReactNode;
  /** Milliseconds from handing uPlot the data to the drawn chart, after every (re)draw of new data. */
  onDrawn?: (ms: number) => void;
  /** A newer range is being fetched: the current chart stays, marked busy. */
  busy?: boolean;
}

function DefaultChange({ change }: { change: PriceChangeInput }) {
  return (
    <p>
      {String(change.from ?? '—')} → {String(change.to ?? '—')}
      {change.reason ? `: ${change.reason}` : ''}
    </p>
  );
}

/** The SKU page's Keepa-style price chart (UI.md "The SKU chart"). */
export default function SkuChart<C extends PriceChangeInput>(props: SkuChartProps<C>) {
  const { series, guard, changes, range, currency, locale } = props;
  // "now" moves only when new data arrives, so the model is not rebuilt on every render
  // biome-ignore lint/correctness/useExhaustiveDependencies: `series` is the trigger: new data, new now
  const now = useMemo(() => props.now ?? Math.floor(Date.now() / 1000), [props.now, series]);
  const model = useMemo(
    () => buildChartModel(series, { range, now, guard, changes }),
    [series, range, now, guard, changes],
  );
  const [hidden, setHidden] = useState<ReadonlySet<SeriesKey>>(() => new Set());
  const [showGuard, setShowGuard] = useState(true);
  const [showTable, setShowTable] = useState(false);
  // the marker opened, for the model it belongs to: another range or data set closes it
  const [picked, setPicked] = useState<{ model: unknown; marker: Marker<C> } | null>(null);
  const selected = picked?.model === model ? picked.marker : null;
  const hostRef = useRef<HTMLDivElement>(null);
  const { plot, cursor, moveCursor, layout } = usePlot({
    hostRef,
    model,
    currency,
    locale,
    hidden,
    showGuard,
    onDrawn: props.onDrawn,
  });

  const toggle = (key: SeriesKey) =>
    setHidden((h) => {
      const next = new Set(h);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const step = { ArrowLeft: -1, ArrowRight: 1, Home: -Infinity, End: Infinity }[e.key];
    if (step === undefined) return;
    e.preventDefault();
    moveCursor(step);
  }

  const rangeLabel = range === 'all' ? 'all recorded history' : `the last ${range} days`;
  return (
    <section aria-label="Price history" className="card p-3" aria-busy={props.busy || undefined}>
      <div className="mb-2 flex flex-wrap items-center gap-2">
        <h2 className="mr-2 text-base font-semibold">Price history</h2>
        <fieldset className="inline-flex rounded-md border border-slate-300">
          <legend className="sr-only">Range</legend>
          {RANGES.map((r) => (
            <button
              key={r}
              type="button"
              aria-pressed={range === r}
              onClick={() => props.onRangeChange(r)}
              className={`px-2.5 py-1 text-sm first:rounded-l-md last:rounded-r-md ${
                range === r
                  ? 'bg-slate-800 font-semibold text-white'
                  : 'bg-white text-slate-700 hover:bg-slate-100'
              }`}
            >
              {RANGE_LABELS[r]}
            </button>
          ))}
        </fieldset>
        {props.busy ? (
          <span role="status" className="text-xs text-slate-500">
            Loading {RANGE_LABELS[range]}…
          </span>
        ) : null}
        <button
          type="button"
          className="btn btn-secondary ml-auto"
          aria-pressed={showTable}
          onClick={() => setShowTable((t) => !t)}
        >
          Table
        </button>
      </div>

      <fieldset className="mb-2 flex flex-wrap gap-1.5">
        <legend className="sr-only">Series shown</legend>
        {SERIES.map((s) => {
          const present = model.present[s.key];
          const on = present && !hidden.has(s.key);
          return (
            <button
              key={s.key}
              type="button"
              aria-pressed={on}
              disabled={!present}
              title={present ? s.hint : `${s.hint}: no data in this range`}
              onClick={() => toggle(s.key)}
              className={`inline-flex items-center gap-1.5 rounded-full border px-2.5 py-0.5 text-xs ${
                on
                  ? 'border-slate-400 bg-white text-slate-900'
                  : 'border-slate-200 bg-slate-50 text-slate-500'
              }`}
            >
              <span
                aria-hidden
                className="inline-block h-2.5 w-4 rounded-sm"
                style={{ background: on ? s.color : 'transparent', border: `2px solid ${s.color}` }}
              />
              {s.label}
              {present ? '' : ' (no data)'}
            </button>
          );
        })}
        {model.band ? (
          <button
            type="button"
            aria-pressed={showGuard}
            title="Repricer guard: the floor (lowest price that keeps your minimum ROI) to the ceiling"
            onClick={() => setShowGuard((g) => !g)}
            className={`inline-flex items-center gap-1.5 rounded-full border px-2.5 py-0.5 text-xs ${
              showGuard
                ? 'border-slate-400 bg-white text-slate-900'
                : 'border-slate-200 bg-slate-50 text-slate-500'
            }`}
          >
            <span
              aria-hidden
              className="inline-block h-2.5 w-4 rounded-sm border border-dashed border-slate-500 bg-slate-200"
            />
            Guard (floor–ceiling)
          </button>
        ) : null}
      </fieldset>

      <Readout model={model} cursor={cursor} currency={currency} locale={locale} hidden={hidden} />

      <figure className="relative m-0">
        <figcaption className="sr-only">
          Chart of buy box, offers, our price and sales rank over {rangeLabel}; the Table button lists the
          values.
        </figcaption>
        <div ref={hostRef} className="min-h-[340px] w-full">
          {plot ? (
            <Markers
              plot={plot}
              markers={model.markers}
              layout={layout}
              visible={!hidden.has('our_price')}
              currency={currency}
              locale={locale}
              selected={selected}
              onSelect={(m) => setPicked({ model, marker: m })}
            />
          ) : null}
        </div>
        {/* the crosshair for the keyboard: a slider over the moments of the chart, drawn as the plot's focus ring */}
        <div
          role="slider"
          tabIndex={0}
          aria-label="Crosshair: moment shown in the readout"
          aria-valuemin={0}
          aria-valuemax={Math.max(0, model.xs.length - 1)}
          aria-valuenow={cursor?.idx ?? model.xs.length - 1}
          aria-valuetext={readoutText(model, cursor, currency, locale)}
          onKeyDown={onKeyDown}
          className="pointer-events-none absolute inset-0 rounded focus-visible:outline-2 focus-visible:outline-blue-600"
        />
      </figure>

      {selected ? (
        <div className="mt-2 rounded border border-emerald-200 bg-emerald-50 p-3 text-sm" aria-live="polite">
          <div className="flex items-start justify-between gap-2">
            <div className="min-w-0">
              <p className="font-medium text-emerald-950">Price change</p>
              {props.renderChange ? (
                props.renderChange(selected.change)
              ) : (
                <DefaultChange change={selected.change} />
              )}
            </div>
            <button type="button" className="btn btn-secondary py-0.5" onClick={() => setPicked(null)}>
              Close
            </button>
          </div>
        </div>
      ) : null}

      {showTable ? <ChartTable model={model} currency={currency} locale={locale} hidden={hidden} /> : null}
    </section>
  );
}
