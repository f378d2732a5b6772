import { useId } from 'react';
import type { RestockPlan as Plan } from '../../api/restock.ts';
import { useLocale } from '../../api/session.ts';
import { formatDate, formatInt, formatMoney } from '../../lib/format.ts';
import { FLAG_INFO } from '../../lib/restock-flags.ts';
import { LINE_FLAGS, type RestockSearch } from '../../lib/restock-search.ts';
import { RelativeTime } from '../../ui/relative-time.tsx';

/** The plan picker, the status and "orders something" filters, and the chosen plan's totals. */
export function RestockFilters({
  plans,
  planId,
  plan,
  search,
  onChange: setSearch,
}: {
  plans: readonly Plan[];
  planId: number | undefined;
  plan: Plan | undefined;
  search: RestockSearch;
  onChange: (patch: Partial<Record<keyof RestockSearch, unknown>>) => void;
}) {
  const locale = useLocale();
  const ids = { plan: useId(), flag: useId(), only: useId() };
  return (
    <div className="mb-3 flex flex-wrap items-end gap-3 text-sm">
      <div>
        <label htmlFor={ids.plan} className="block text-slate-700">
          Plan
        </label>
        <select
          id={ids.plan}
          className="input"
          value={planId ?? ''}
          onChange={(e) => setSearch({ plan: Number(e.target.value) })}
        >
          {plans.map((p, i) => (
            <option key={p.id} value={p.id}>
              {p.week} · {p.marketplace} · {formatDate(p.created_at, locale)}
              {i === 0 ? ' (latest)' : ''}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={ids.flag} className="block text-slate-700">
          Status
        </label>
        <select
          id={ids.flag}
          className="input"
          value={search.flag ?? ''}
          onChange={(e) => setSearch({ flag: e.target.value || undefined })}
        >
          <option value="">Any</option>
          {LINE_FLAGS.map((f) => (
            <option key={f} value={f}>
              {FLAG_INFO[f].icon} {FLAG_INFO[f].label}
            </option>
          ))}
        </select>
      </div>
      <label htmlFor={ids.only} className="flex items-center gap-1.5 pb-1.5">
        <input
          id={ids.only}
          type="checkbox"
          checked={search.order_only ?? false}
          onChange={(e) => setSearch({ order_only: e.target.checked || undefined })}
        />
        Only lines that order something
      </label>
      {plan ? (
        <p className="ml-auto text-slate-700">
          {plan.week}: {formatInt(plan.counts.order_lines, locale)} of {formatInt(plan.counts.skus, locale)}{' '}
          SKUs order {formatInt(plan.total_units, locale)} units for{' '}
          {formatMoney(plan.total_cost, plan.currency, locale)}
          {' · '}computed <RelativeTime value={plan.created_at} />
        </p>
      ) : null}
    </div>
  );
}
