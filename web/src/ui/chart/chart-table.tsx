import { useMemo, useState } from 'react';
import { type ChartModel, type SeriesKey, tableRows } from '../../lib/chart-data.ts';
import { currencySymbol, formatDateTime } from '../../lib/format.ts';
import { SERIES, seriesValueText } from './series.ts';

const PAGE = 100;

/**
 * The chart's series as rows (UI.md: a "table" toggle, also for accessibility): one row per moment
 * something changed, newest first, every series' value in force then. Values carried over from an
 * earlier moment are grey; the ones that changed at that moment are black.
 */
export function ChartTable({
  model,
  currency,
  locale,
  hidden,
}: {
  model: ChartModel;
  currency: string | undefined;
  locale: string;
  hidden: ReadonlySet<SeriesKey>;
}) {
  const rows = useMemo(() => tableRows(model), [model]);
  const [shown, setShown] = useState(PAGE);
  const columns = SERIES.filter((s) => model.present[s.key] && !hidden.has(s.key));
  const symbol = currencySymbol(currency, locale);
  if (rows.length === 0) return <p className="p-3 text-sm text-slate-600">No data in this range.</p>;
  return (
    <div className="mt-3">
      <section
        className="max-h-96 overflow-auto rounded border border-slate-200"
        aria-label="Price history table"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard
        tabIndex={0}
      >
        <table className="w-full text-sm">
          <caption className="sr-only">
            Price and sales rank history, newest first; grey values were carried over from an earlier moment
          </caption>
          <thead className="sticky top-0 bg-slate-100 text-left text-xs text-slate-700">
            <tr>
              <th scope="col" className="px-2 py-1.5">
                Time
              </th>
              {columns.map((s) => (
                <th key={s.key} scope="col" className="num px-2 py-1.5">
                  {s.label}
                  {s.scale === 'money' && symbol ? ` ${symbol}` : ''}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, shown).map((r) => (
              <tr key={r.t} className="border-t border-slate-100">
                <th scope="row" className="px-2 py-1 text-left font-normal whitespace-nowrap">
                  {formatDateTime(r.t * 1000, locale)}
                </th>
                {columns.map((s) => {
                  const v = r.values[s.key];
                  const text = seriesValueText(s, v ?? null, currency, locale);
                  return (
                    <td key={s.key} className={`num px-2 py-1 ${r.observed[s.key] ? '' : 'text-slate-500'}`}>
                      {text}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <p className="mt-1 flex items-center gap-3 text-xs text-slate-600">
        {Math.min(shown, rows.length)} of {rows.length} moments
        {shown < rows.length ? (
          <button
            type="button"
            className="btn btn-secondary py-0.5"
            onClick={() => setShown((n) => n + PAGE)}
          >
            Show {Math.min(PAGE, rows.length - shown)} more
          </button>
        ) : null}
      </p>
    </div>
  );
}
