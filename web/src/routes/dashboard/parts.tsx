import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import type { AgentHealth, Dashboard } from '../../api/dashboard.ts';
import { useCurrency, useLocale } from '../../api/session.ts';
import { ROI_FLAGS } from '../../lib/flags.ts';
import { formatInt, formatMoney, formatPct } from '../../lib/format.ts';
import { RelativeTime } from '../../ui/relative-time.tsx';
import { Empty } from '../../ui/states.tsx';

export function Section({
  title,
  children,
  action,
}: {
  title: string;
  children: ReactNode;
  action?: ReactNode;
}) {
  const id = `sec-${title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <section aria-labelledby={id} className="card p-4">
      <div className="mb-2 flex items-baseline justify-between gap-2">
        <h2 id={id} className="font-semibold text-slate-900">
          {title}
        </h2>
        {action}
      </div>
      {children}
    </section>
  );
}

export function Kpi({ label, value, children }: { label: string; value: ReactNode; children?: ReactNode }) {
  return (
    <div className="card p-3">
      <dt className="text-xs font-medium text-slate-600">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums text-slate-900">{value}</dd>
      {children ? <dd className="mt-1 text-xs text-slate-600">{children}</dd> : null}
    </div>
  );
}

const STATUS_STYLE: Record<string, string> = {
  success: 'text-green-800',
  failed: 'text-red-700',
  running: 'text-sky-800',
};

export function Status({ status }: { status: string | null }) {
  if (!status) return <span className="text-slate-400">never ran</span>;
  return <span className={STATUS_STYLE[status] ?? 'text-slate-700'}>{status}</span>;
}

export function AgentLine({ a }: { a: AgentHealth }) {
  return (
    <li className="py-2">
      <div className="flex flex-wrap items-baseline gap-x-3">
        <span className="font-medium">{a.name}</span>
        {a.failed ? <span className="rounded bg-red-100 px-1.5 text-xs text-red-900">failed</span> : null}
        {a.overdue ? (
          <span className="rounded bg-amber-100 px-1.5 text-xs text-amber-900">overdue</span>
        ) : null}
        <span className="text-sm text-slate-600">
          {a.schedule ? (
            <>
              schedule <code className="text-xs">{a.schedule}</code> ·{' '}
            </>
          ) : null}
          {a.last_run_at ? (
            <>
              last run <RelativeTime value={a.last_run_at} /> (<Status status={a.last_status} />)
            </>
          ) : (
            'never ran'
          )}
          {a.overdue && a.last_run_at ? (
            <>
              {' '}
              · last success <RelativeTime value={a.last_success_at} />
            </>
          ) : null}
          {a.next_due_at ? (
            <>
              {' '}
              · next due <RelativeTime value={a.next_due_at} />
            </>
          ) : null}
        </span>
      </div>
      {a.last_error ? (
        <p className="mt-1 font-mono text-xs break-words text-red-800">{a.last_error}</p>
      ) : null}
      <p className="mt-1 text-xs text-slate-600">
        Run it now with <code className="rounded bg-slate-100 px-1">awa agent run {a.name}</code> or{' '}
        <code className="rounded bg-slate-100 px-1">POST /api/v1/agents/{a.name}/run</code>.
      </p>
    </li>
  );
}

function useFormat() {
  const locale = useLocale();
  return {
    locale,
    pct: (v: number | null | undefined) => formatPct(v, locale),
    int: (v: number | null | undefined) => formatInt(v, locale),
  };
}

/** ROI by vendor, each vendor linking to the ROI review filtered to it. */
export function VendorTable({ vendors }: { vendors: Dashboard['roi_by_vendor']['items'] }) {
  const { pct, int } = useFormat();
  return (
    <>
      {vendors.length === 0 ? (
        <Empty title="No vendor offers yet">Import a vendor price list to see ROI by vendor.</Empty>
      ) : (
        <table className="w-full text-sm">
          <thead>
            <tr className="border-b border-slate-200 text-slate-600">
              <th scope="col" className="py-1 text-left font-medium whitespace-nowrap">
                Vendor
              </th>
              <th scope="col" className="num py-1 pl-2 font-medium whitespace-nowrap">
                Offers
              </th>
              <th scope="col" className="num py-1 pl-2 font-medium whitespace-nowrap">
                Avg ROI %
              </th>
              <th scope="col" className="num py-1 pl-2 font-medium whitespace-nowrap">
                Median ROI %
              </th>
              <th scope="col" className="num py-1 pl-2 font-medium whitespace-nowrap">
                Share ROI ≥ 30 %
              </th>
              <th scope="col" className="num py-1 pl-2 font-medium whitespace-nowrap">
                Flagged
              </th>
            </tr>
          </thead>
          <tbody>
            {vendors.map((v) => (
              <tr key={v.vendor_id} className="border-b border-slate-100">
                <td className="py-1.5">
                  <Link to="/roi" search={{ vendor: String(v.vendor_id) }} className="link">
                    {v.vendor_name}
                  </Link>
                </td>
                <td className="num">{int(v.offers)}</td>
                <td className="num">{pct(v.avg_roi)}</td>
                <td className="num">{pct(v.median_roi)}</td>
                <td className="num">{pct(v.share_roi_30 === null ? null : v.share_roi_30 * 100)}</td>
                <td className="num">
                  {v.flagged > 0 ? (
                    <Link
                      to="/roi"
                      search={{ vendor: String(v.vendor_id), flags: [...ROI_FLAGS], best_only: false }}
                      className="link"
                    >
                      {int(v.flagged)}
                    </Link>
                  ) : (
                    int(v.flagged)
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** Units sold and returned in the window, and the most returned products (each opens its SKU page). */
export function ReturnsSummary({ returns }: { returns: Dashboard['returns'] }) {
  const { locale, pct, int } = useFormat();
  const currency = useCurrency();
  return (
    <>
      <dl className="mb-3 grid grid-cols-2 gap-2 text-sm md:grid-cols-4">
        <div>
          <dt className="text-xs text-slate-600">Units sold</dt>
          <dd className="tabular-nums">{int(returns.summary.units_sold)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-600">Units returned</dt>
          <dd className="tabular-nums">{int(returns.summary.units_returned)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-600">Return rate %</dt>
          <dd className="tabular-nums">
            {pct(returns.summary.return_rate === null ? null : returns.summary.return_rate * 100)}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-600">Reimbursed</dt>
          <dd className="tabular-nums">{formatMoney(returns.summary.reimbursed_amount, currency, locale)}</dd>
        </div>
      </dl>
      {returns.items.length > 0 ? (
        <table className="w-full text-sm">
          <caption className="mb-1 text-left text-xs text-slate-600">Most returned</caption>
          <thead>
            <tr className="border-b border-slate-200 text-slate-600">
              <th scope="col" className="py-1 text-left font-medium whitespace-nowrap">
                Product
              </th>
              <th scope="col" className="num py-1 pl-2 font-medium whitespace-nowrap">
                Returned
              </th>
              <th scope="col" className="num py-1 pl-2 font-medium whitespace-nowrap">
                Rate %
              </th>
              <th scope="col" className="py-1 pl-3 text-left font-medium">
                Top reason
              </th>
            </tr>
          </thead>
          <tbody>
            {returns.items.slice(0, 5).map((r) => (
              <tr key={r.asin} className="border-b border-slate-100">
                <td className="max-w-64 truncate py-1.5">
                  <Link to="/sku/$asin" params={{ asin: r.asin }} className="link" title={r.title ?? r.asin}>
                    {r.title ?? r.asin}
                  </Link>
                </td>
                <td className="num">{int(r.returns)}</td>
                <td className="num">{pct(r.return_rate === null ? null : r.return_rate * 100)}</td>
                <td className="pl-3 text-xs text-slate-700">
                  {r.top_reason?.replace(/_/g, ' ').toLowerCase() ?? '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="text-sm text-slate-600">No returns in the window.</p>
      )}
    </>
  );
}
