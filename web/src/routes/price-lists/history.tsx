import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import { DASH, formatInt, formatMoney, formatPct, toNumber } from '../../lib/format.ts';
import { RelativeTime } from '../../ui/relative-time.tsx';
import { Empty, ErrorState, Loading } from '../../ui/states.tsx';

export interface PriceListRow {
  id: number;
  vendor?: string;
  file_name: string;
  rows: number | null;
  inserted: number | null;
  updated: number | null;
  unchanged: number | null;
  duplicates: number | null;
  rejected: number | null;
  status: string;
  source?: string | null;
  currency?: string | null;
  created_by?: string | null;
  created_at: string;
  duration_ms?: number | null;
}

interface HistoryPoint {
  observed_at: string;
  old_cost: string | number | null;
  cost: string | number;
  old_currency: string | null;
  currency: string;
}

interface PriceRow {
  sku: string;
  asin: string | null;
  barcode: string | null;
  title: string | null;
  cost: string | number;
  currency: string;
  pack_size: number;
  moq: number;
  lead_time_days: number | null;
  updated_at: string;
  history: HistoryPoint[];
}

interface PricesPage {
  total: number;
  page: number;
  page_size: number;
  items: PriceRow[];
}

const STATUS_WORDS: Record<string, string> = {
  success: '✓ imported',
  partial: '◐ valid rows imported',
  skipped: '= already imported',
  rejected: '✗ rejected',
};

/** The vendor's imported files, newest first. */
export function PriceListHistory({ vendorId, locale }: { vendorId: number; locale: string }) {
  const q = useQuery({
    queryKey: ['price-lists', vendorId],
    queryFn: ({ signal }) =>
      api.get<{ items: PriceListRow[] }>('/price-lists', { vendor_id: vendorId, limit: 50 }, signal),
  });
  if (q.isPending) return <Loading label="Loading the price-list history…" />;
  if (q.isError)
    return (
      <ErrorState
        error={q.error}
        title="Could not load the price-list history"
        onRetry={() => void q.refetch()}
      />
    );
  if (q.data.items.length === 0) return <Empty title="No price list imported for this vendor yet" />;
  const n = (v: unknown) => formatInt(v, locale);
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm">
        <caption className="sr-only">Price lists imported for this vendor, newest first</caption>
        <thead className="text-left text-xs text-slate-600">
          <tr>
            {['When', 'File', 'Result'].map((h) => (
              <th key={h} scope="col" className="px-2 py-1">
                {h}
              </th>
            ))}
            {['Rows', 'New', 'Changed', 'Unchanged', 'Duplicates', 'Rejected'].map((h) => (
              <th key={h} scope="col" className="num px-2 py-1">
                {h}
              </th>
            ))}
            <th scope="col" className="px-2 py-1">
              By
            </th>
          </tr>
        </thead>
        <tbody>
          {q.data.items.map((r) => (
            <tr key={r.id} className="border-t border-slate-100">
              <td className="px-2 py-1 whitespace-nowrap">
                <RelativeTime value={r.created_at} />
              </td>
              <td className="px-2 py-1 break-all">{r.file_name}</td>
              <td className="px-2 py-1 whitespace-nowrap">{STATUS_WORDS[r.status] ?? r.status}</td>
              <td className="num px-2 py-1">{n(r.rows)}</td>
              <td className="num px-2 py-1">{n(r.inserted)}</td>
              <td className="num px-2 py-1">{n(r.updated)}</td>
              <td className="num px-2 py-1">{n(r.unchanged)}</td>
              <td className="num px-2 py-1">{n(r.duplicates)}</td>
              <td className="num px-2 py-1">{n(r.rejected)}</td>
              <td className="px-2 py-1 text-xs text-slate-600">
                {r.created_by ?? DASH}
                {r.source ? ` (${r.source})` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CostChanges({ history, locale }: { history: HistoryPoint[]; locale: string }) {
  if (history.length === 0) return <span className="text-slate-500">none</span>;
  return (
    <ul className="space-y-0.5">
      {history.map((h) => {
        const from = toNumber(h.old_cost);
        const to = toNumber(h.cost);
        const sameCurrency = (h.old_currency ?? h.currency) === h.currency;
        const pct = from && to !== null && sameCurrency ? ((to - from) / from) * 100 : null;
        return (
          <li key={h.observed_at} className="whitespace-nowrap tabular-nums">
            {from === null ? 'first price ' : `${formatMoney(from, h.old_currency ?? h.currency, locale)} → `}
            {formatMoney(to, h.currency, locale)}
            {pct !== null ? (
              <span className={pct > 0 ? 'text-red-700' : pct < 0 ? 'text-emerald-700' : ''}>
                {' '}
                ({pct > 0 ? '▲ +' : pct < 0 ? '▼ ' : ''}
                {formatPct(pct, locale)})
              </span>
            ) : null}{' '}
            <span className="text-slate-500">
              <RelativeTime value={h.observed_at} />
            </span>
          </li>
        );
      })}
    </ul>
  );
}

/** The vendor's current prices with their latest cost changes, server-paged, search and page in the URL. */
export function VendorPrices({
  vendorId,
  search,
  page,
  onChange,
  locale,
}: {
  vendorId: number;
  search: string | undefined;
  page: number;
  onChange: (next: { q?: string; page?: number }) => void;
  locale: string;
}) {
  const pageSize = 50;
  const [text, setText] = useState(search ?? '');
  useEffect(() => setText(search ?? ''), [search]);
  const q = useQuery({
    queryKey: ['vendor-prices', vendorId, search ?? '', page],
    queryFn: ({ signal }) =>
      api.get<PricesPage>(
        `/vendors/${vendorId}/prices`,
        { history: 5, page, page_size: pageSize, search },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onChange({ q: text.trim() || undefined, page: undefined });
  };
  const pages = q.data ? Math.max(1, Math.ceil(q.data.total / pageSize)) : 1;
  return (
    <div>
      <form aria-label="Search the prices" onSubmit={submit} className="mb-2 flex flex-wrap items-end gap-2">
        <div>
          <label className="label" htmlFor="vendor-prices-search">
            Search SKU, title, EAN or ASIN
          </label>
          <input
            id="vendor-prices-search"
            className="input w-72"
            value={text}
            maxLength={64}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        <button type="submit" className="btn btn-secondary">
          Search
        </button>
        {q.data ? (
          <span className="ml-auto text-xs text-slate-600" aria-live="polite">
            {formatInt(q.data.total, locale)} prices · page {formatInt(page, locale)} of{' '}
            {formatInt(pages, locale)}
          </span>
        ) : null}
      </form>
      {q.isPending ? (
        <Loading label="Loading prices…" />
      ) : q.isError ? (
        <ErrorState error={q.error} title="Could not load the prices" onRetry={() => void q.refetch()} />
      ) : q.data.items.length === 0 ? (
        <Empty title={search ? `No price matches “${search}”` : 'This vendor has no prices yet'} />
      ) : (
        <div className="overflow-x-auto" aria-busy={q.isPlaceholderData || undefined}>
          <table className="w-full text-sm">
            <caption className="sr-only">Current prices of the vendor with their recent cost changes</caption>
            <thead className="text-left text-xs text-slate-600">
              <tr>
                <th scope="col" className="px-2 py-1">
                  SKU
                </th>
                <th scope="col" className="px-2 py-1">
                  ASIN
                </th>
                <th scope="col" className="px-2 py-1">
                  EAN
                </th>
                <th scope="col" className="px-2 py-1">
                  Title
                </th>
                <th scope="col" className="num px-2 py-1">
                  Cost
                </th>
                <th scope="col" className="num px-2 py-1">
                  Case pack
                </th>
                <th scope="col" className="num px-2 py-1">
                  MOQ
                </th>
                <th scope="col" className="num px-2 py-1">
                  Lead time d
                </th>
                <th scope="col" className="px-2 py-1">
                  Recent cost changes
                </th>
                <th scope="col" className="px-2 py-1">
                  Updated
                </th>
              </tr>
            </thead>
            <tbody>
              {q.data.items.map((r) => (
                <tr key={r.sku} className="border-t border-slate-100 align-top">
                  <td className="px-2 py-1 font-mono text-xs whitespace-nowrap">{r.sku}</td>
                  <td className="px-2 py-1 font-mono text-xs">
                    {r.asin ? (
                      <Link to="/sku/$asin" params={{ asin: r.asin }} className="link">
                        {r.asin}
                      </Link>
                    ) : (
                      DASH
                    )}
                  </td>
                  <td className="px-2 py-1 font-mono text-xs">{r.barcode ?? DASH}</td>
                  <td className="px-2 py-1">{r.title ?? DASH}</td>
                  <td className="num px-2 py-1 whitespace-nowrap">
                    {formatMoney(r.cost, r.currency, locale)}
                  </td>
                  <td className="num px-2 py-1">{formatInt(r.pack_size, locale)}</td>
                  <td className="num px-2 py-1">{formatInt(r.moq, locale)}</td>
                  <td className="num px-2 py-1">{formatInt(r.lead_time_days, locale)}</td>
                  <td className="px-2 py-1 text-xs">
                    <CostChanges history={r.history} locale={locale} />
                  </td>
                  <td className="px-2 py-1 text-xs whitespace-nowrap">
                    <RelativeTime value={r.updated_at} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {q.data && pages > 1 ? (
        <nav aria-label="Pages of prices" className="mt-2 flex items-center gap-2">
          <button
            type="button"
            className="btn btn-secondary"
            disabled={page <= 1}
            onClick={() => onChange({ q: search, page: page - 1 > 1 ? page - 1 : undefined })}
          >
            ← Previous
          </button>
          <button
            type="button"
            className="btn btn-secondary"
            disabled={page >= pages}
            onClick={() => onChange({ q: search, page: page + 1 })}
          >
            Next →
          </button>
        </nav>
      ) : null}
    </div>
  );
}
