import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useCallback, useMemo, useState } from 'react';
import { hasRole, useLocale, useMe } from '../../api/session.ts';
import { type Vendor, vendorsPageQuery } from '../../api/vendors.ts';
import { DASH, formatInt } from '../../lib/format.ts';
import { nextSort } from '../../lib/search-params.ts';
import {
  resolveVendorsSearch,
  updateVendorsSearch,
  type VendorSort,
  type VendorsSearch,
  vendorDefaultOrder,
  vendorsCsvHref,
} from '../../lib/vendors-search.ts';
import type { DataColumn } from '../../ui/data-table.tsx';
import { FlagChip } from '../../ui/flag-chip.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { PagedTable, usePrefetchNextPage } from '../../ui/paged-table.tsx';
import { RelativeTime } from '../../ui/relative-time.tsx';
import { Empty } from '../../ui/states.tsx';
import { VendorsTabs } from '../../ui/vendors-tabs.tsx';
import { EditVendorDialog } from './edit-dialog.tsx';
import { VendorPanel } from './panel.tsx';
import { route } from './route.tsx';
import { TextFilter } from './text-filter.tsx';

type Patch = Partial<Record<keyof VendorsSearch, unknown>>;
const SORTABLE = new Set(['name', 'country', 'currency', 'lead_time', 'moq', 'offers', 'last_import']);

function columns(
  locale: string,
  canEdit: boolean,
  onEdit: (v: Vendor) => void,
  onOpen: (v: Vendor) => void,
  staleDays: number,
) {
  const cols: DataColumn<Vendor>[] = [
    {
      id: 'name',
      header: 'Vendor',
      sortable: true,
      hideable: false,
      width: 200,
      cell: (v) => (
        <Link
          to="/price-lists"
          search={{ vendor: v.id }}
          className="block truncate text-blue-800 hover:underline"
          title={`${v.name}: its price lists and prices`}
        >
          {v.name}
        </Link>
      ),
    },
    { id: 'country', header: 'Country', sortable: true, cell: (v) => v.country ?? DASH },
    { id: 'currency', header: 'Currency', sortable: true, cell: (v) => v.currency ?? DASH },
    {
      id: 'lead_time',
      header: 'Lead time days',
      numeric: true,
      sortable: true,
      title: 'Default lead time: for items whose price list gives none (restock, repricer stock guard)',
      cell: (v) =>
        v.lead_time_days === null ? (
          <span className="text-slate-600">not set</span>
        ) : (
          formatInt(v.lead_time_days, locale)
        ),
    },
    {
      id: 'moq',
      header: 'MOQ units',
      numeric: true,
      sortable: true,
      title: 'Default minimum order quantity per item: for items whose price list gives none',
      cell: (v) =>
        v.moq === null ? <span className="text-slate-600">not set</span> : formatInt(v.moq, locale),
    },
    {
      id: 'offers',
      header: 'Prices',
      numeric: true,
      sortable: true,
      cell: (v) => formatInt(v.offers, locale),
    },
    {
      id: 'last_import',
      header: 'Last price list',
      sortable: true,
      width: 220,
      cell: (v) =>
        v.last_import_at ? (
          <span className="flex min-w-0 items-baseline gap-2">
            <span className="truncate" title={v.last_price_list_file ?? undefined}>
              {v.last_price_list_file}
            </span>
            <span className="shrink-0 text-xs text-slate-600">
              <RelativeTime value={v.last_import_at} />
            </span>
          </span>
        ) : (
          <span className="text-slate-600">none yet</span>
        ),
    },
    {
      id: 'age',
      header: 'Age days',
      numeric: true,
      title: `A price list older than ${staleDays} days is stale: its costs may have moved`,
      cell: (v) => (
        <span className="inline-flex items-center justify-end gap-2">
          {v.stale ? <FlagChip flag="price_list_stale" /> : null}
          {v.price_list_age_days === null ? DASH : formatInt(v.price_list_age_days, locale)}
        </span>
      ),
    },
  ];
  cols.push({
    id: 'tasks',
    header: 'Tasks',
    hideable: false,
    cell: (v) => (
      <button type="button" className="link" onClick={() => onOpen(v)} aria-label={`Open tasks of ${v.name}`}>
        Open tasks
      </button>
    ),
  });
  if (canEdit) {
    cols.push({
      id: 'edit',
      header: 'Settings',
      hideable: false,
      cell: (v) => (
        <button type="button" className="link" onClick={() => onEdit(v)} aria-label={`Edit ${v.name}`}>
          Edit
        </button>
      ),
    });
  }
  return cols;
}

export default function VendorsPage() {
  const search = route.useSearch();
  const navigate = useNavigate({ from: route.fullPath });
  const me = useMe();
  const locale = useLocale();
  const canEdit = hasRole(me.role, 'ops');
  const resolved = resolveVendorsSearch(search);
  const result = useQuery(vendorsPageQuery(search));
  const rows = result.data?.items ?? EMPTY;
  const staleDays = result.data?.stale_after_days ?? 30;

  usePrefetchNextPage(
    result.data?.total,
    resolved.page,
    resolved.page_size,
    vendorsPageQuery({ ...search, page: resolved.page + 1 }),
  );

  const setSearch = useCallback(
    (patch: Patch) => void navigate({ search: (prev: VendorsSearch) => updateVendorsSearch(prev, patch) }),
    [navigate],
  );
  const [editing, setEditing] = useState<Vendor | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const cols = useMemo(
    () => columns(locale, canEdit, setEditing, (v) => setSearch({ vendor: v.id }), staleDays),
    [locale, canEdit, staleDays, setSearch],
  );

  const onSort = (id: string) => {
    if (SORTABLE.has(id)) setSearch(nextSort(resolved, id as VendorSort, vendorDefaultOrder));
  };

  const body = (
    <PagedTable
      query={result}
      loadingLabel="Loading vendors…"
      errorTitle="The vendors could not be loaded"
      page={resolved.page}
      pageSize={resolved.page_size}
      total={result.data?.total ?? 0}
      onPaging={setSearch}
      columns={cols}
      rows={rows}
      rowKey={(v) => String(v.id)}
      caption="Vendors with their settings and last price list"
      sort={{ id: resolved.sort, order: resolved.order }}
      onSortChange={onSort}
      onRowClick={(v) => setSearch({ vendor: v.id })}
      activeKey={search.vendor ? String(search.vendor) : null}
      empty={
        <Empty title="No vendors match">
          {Object.keys(search).some((k) => k !== 'vendor')
            ? 'Widen or clear the filters.'
            : 'The first price-list import creates one.'}
        </Empty>
      }
    />
  );

  return (
    <>
      <VendorsTabs current="vendors" />
      <PageHeader
        title="Vendors"
        description={`Each vendor's settings that ROI and restock use, and how old its last price list is (stale after ${staleDays} days).`}
        actions={
          <a className="btn btn-secondary" href={vendorsCsvHref(search)} download>
            Download CSV
          </a>
        }
      />
      <search aria-label="Filters" className="mb-3 flex flex-wrap items-end gap-3">
        <TextFilter
          label="Vendor"
          width="w-56"
          maxLength={64}
          placeholder="part of the name"
          value={search.search}
          onCommit={(v) => setSearch({ search: v })}
        />
        <TextFilter
          label="Country"
          width="w-20"
          maxLength={2}
          placeholder="DE"
          value={search.country}
          onCommit={(v) => setSearch({ country: v })}
        />
        <TextFilter
          label="Currency"
          width="w-24"
          maxLength={3}
          placeholder="EUR"
          value={search.currency}
          onCommit={(v) => setSearch({ currency: v })}
        />
        <div>
          <label htmlFor="vendors-stale" className="label">
            Price list
          </label>
          <select
            id="vendors-stale"
            className="input"
            value={search.stale ?? ''}
            onChange={(e) => setSearch({ stale: e.target.value || undefined })}
          >
            <option value="">Any age</option>
            <option value="stale">Stale or none</option>
            <option value="fresh">Up to date</option>
          </select>
        </div>
        {Object.keys(search).some((k) => ['search', 'country', 'currency', 'stale'].includes(k)) ? (
          <button
            type="button"
            className="link mb-2"
            onClick={() =>
              setSearch({ search: undefined, country: undefined, currency: undefined, stale: undefined })
            }
          >
            Clear filters
          </button>
        ) : null}
      </search>
      {notice ? (
        <p role="status" className="mb-2 rounded bg-green-50 px-3 py-2 text-sm text-green-900">
          {notice}
        </p>
      ) : null}
      {body}
      <VendorPanel id={search.vendor ?? null} onClose={() => setSearch({ vendor: undefined })} />
      {editing ? (
        <EditVendorDialog
          vendor={editing}
          onClose={() => setEditing(null)}
          onSaved={(msg) => {
            setEditing(null);
            setNotice(msg);
          }}
        />
      ) : null}
    </>
  );
}

const EMPTY: Vendor[] = [];
