import { formatPct, toNumber } from '../../lib/format.ts';
import { GUARD_WORDS, type Guard } from '../../lib/repricer-search.ts';
import type { DataColumn } from '../../ui/data-table.tsx';

/** The relative change old → new, with an arrow (colour is never the only signal). */
export function ChangeCell({
  d,
  locale,
}: {
  d: { old_price: string | null; final_price: string | null; changed: boolean };
  locale: string;
}) {
  const [o, f] = [toNumber(d.old_price), toNumber(d.final_price)];
  if (!d.changed || o === null || f === null || o === 0)
    return <span className="text-slate-500">unchanged</span>;
  const pct = ((f - o) / o) * 100;
  const down = pct < 0;
  return (
    <span className={down ? 'text-red-800' : 'text-green-800'}>
      <span aria-hidden>{down ? '▼' : '▲'} </span>
      {formatPct(pct, locale)}
    </span>
  );
}

const STRONG = new Set(['breaker', 'price_war']);

export function GuardChips({ guards }: { guards: readonly string[] }) {
  if (guards.length === 0) return <span className="text-slate-400">none</span>;
  return (
    <span className="inline-flex gap-1">
      {guards.map((g) => (
        <span
          key={g}
          title={g}
          className={`rounded-full border px-2 py-0.5 text-xs font-medium whitespace-nowrap ${
            STRONG.has(g)
              ? 'border-red-300 bg-red-50 text-red-900'
              : 'border-slate-300 bg-slate-50 text-slate-800'
          }`}
        >
          {GUARD_WORDS[g as Guard] ?? g.replaceAll('_', ' ')}
        </span>
      ))}
    </span>
  );
}

/** "Why this price": the decision's reason on one line (whole on hover), red when it failed. */
export function reasonColumn<T extends { reason: string; error?: unknown }>(width: number): DataColumn<T> {
  return {
    id: 'reason',
    header: 'Why this price',
    width,
    cell: (r) => (
      <span className={`block truncate ${r.error ? 'text-red-800' : ''}`} title={r.reason}>
        {r.reason}
      </span>
    ),
  };
}
