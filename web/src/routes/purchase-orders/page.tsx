import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useCallback, useId, useMemo } from 'react';
import { type PoSummary, poCsvHref, poListQuery } from '../../api/purchase-orders.ts';
import { useCurrency, useLocale } from '../../api/session.ts';
import { vendorsQuery } from '../../api/vendors.ts';
import { currencySymbol, formatDate, formatInt, formatMoney } from '../../lib/format.ts';
import { PO_STATUSES, type PoSearch, poApiQuery, updatePoSearch } from '../../lib/restock-po-search.ts';
import type { DataColumn } from '../../ui/data-table.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { PagedTable } from '../../ui/paged-table.tsx';
import { RelativeTime } from '../../ui/relative-time.tsx';
import { Empty } from '../../ui/states.tsx';
import { PoPanel, StatusBadge } from './detail.tsx';
import { route } from './route.tsx';

const EMPTY: PoSummary[] = [];

export default function PurchaseOrdersPage() {
  const search = route.useSearch();
  const navigate = useNavigate({ from: route.fullPath });
  const locale = useLocale();
  const currency = useCurrency() ?? 'EUR';
  const ids = { status: useId(), vendor: useId() };
  const setSearch = useCallback(
    (patch: Partial<Record<keyof PoSearch, unknown>>) =>
      void navigate({ search: (prev: PoSearch) => updatePoSearch(prev, patch) }),
    [navigate],
  );
  const query = poApiQuery(search);
  const list = useQuery(poListQuery(query));
  const vendors = useQuery(vendorsQuery);
  const rows = list.data?.items ?? EMPTY;
  const symbol = currencySymbol(currency, locale);

  const columns = useMemo<DataColumn<PoSummary>[]>(
    () => [
      {
        id: 'id',
        header: 'Order',
        hideable: false,
        cell: (p) => (
          <button
            type="button"
            className="text-blue-800 hover:underline"
            onClick={() => setSearch({ po: p.id })}
          >
            #{p.id}
            {p.reference ? ` · ${p.reference}` : ''}
          </button>
        ),
      },
      {
        id: 'vendor',
        header: 'Vendor',
        width: 180,
        cell: (p) => <span className="block truncate">{p.vendor_name}</span>,
      },
      { id: 'status', header: 'Status', cell: (p) => <StatusBadge status={p.status} /> },
      { id: 'lines', header: 'Lines', numeric: true, cell: (p) => formatInt(p.line_count, locale) },
      { id: 'units', header: 'Units', numeric: true, cell: (p) => formatInt(p.units, locale) },
      { id: 'received', header: 'Received', numeric: true, cell: (p) => formatInt(p.received_units, locale) },
      {
        id: 'total',
        header: `Total ${symbol}`,
        numeric: true,
        title: 'qty × unit cost over the lines with a cost, marketplace currency',
        cell: (p) => formatMoney(p.total_cost, currency, locale),
      },
      { id: 'expected', header: 'Expected', cell: (p) => formatDate(p.expected_at, locale) },
      { id: 'created', header: 'Created', cell: (p) => <RelativeTime value={p.created_at} /> },
      { id: 'by', header: 'By', cell: (p) => p.created_by },
    ],
    [locale, currency, symbol, setSearch],
  );

  const body = (
    <PagedTable
      query={list}
      loadingLabel="Loading purchase orders…"
      errorTitle="The purchase orders could not be loaded"
      page={query.page}
      pageSize={query.page_size}
      total={list.data?.total ?? 0}
      onPaging={setSearch}
      columns={columns}
      rows={rows}
      rowKey={(p) => String(p.id)}
      caption="Purchase orders"
      onRowClick={(p) => setSearch({ po: p.id })}
      activeKey={search.po ? String(search.po) : null}
      empty={
        <Empty title="No purchase orders match">
          {search.status || search.vendor
            ? 'Clear the filters to see every order.'
            : 'Place orders from the restock plan.'}
        </Empty>
      }
    />
  );

  return (
    <>
      <PageHeader
        title="Purchase orders"
        description="Orders placed with vendors. Open units count as on order in the restock plan until received or cancelled."
        actions={
          <a
            className="btn btn-secondary"
            href={poCsvHref({ status: query.status, vendor_id: query.vendor_id })}
            download
          >
            Download CSV
          </a>
        }
      />
      <div className="mb-3 flex flex-wrap items-end gap-3 text-sm">
        <div>
          <label htmlFor={ids.status} className="block text-slate-700">
            Status
          </label>
          <select
            id={ids.status}
            className="input"
            value={search.status ?? ''}
            onChange={(e) => setSearch({ status: e.target.value || undefined })}
          >
            <option value="">Any</option>
            {PO_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={ids.vendor} className="block text-slate-700">
            Vendor
          </label>
          <select
            id={ids.vendor}
            className="input"
            value={search.vendor ?? ''}
            onChange={(e) => setSearch({ vendor: e.target.value ? Number(e.target.value) : undefined })}
          >
            <option value="">Any</option>
            {(vendors.data?.items ?? []).map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      {body}
      <PoPanel id={search.po ?? null} onClose={() => setSearch({ po: undefined })} />
    </>
  );
}
