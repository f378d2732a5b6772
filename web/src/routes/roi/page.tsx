import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { type RoiRow, roiCountQuery, roiCsvHref, roiPageQuery } from '../../api/roi.ts';
import { hasRole, useCurrency, useLocale, useMe, usePreferences } from '../../api/session.ts';
import { currencySymbol, formatInt } from '../../lib/format.ts';
import {
  defaultOrder,
  hasFilters,
  parseRoiSearch,
  type RoiSearch,
  type RoiSort,
  resolveRoiSearch,
  roiFilterParams,
  roiSearchToParams,
  updateRoiSearch,
} from '../../lib/roi-search.ts';
import { nextSort, parseSearchString, stringifySearchObject } from '../../lib/search-params.ts';
import {
  EMPTY_SELECTION,
  forFilter,
  isSelected,
  type SelectionState,
  selectAllMatching,
  selectedCount,
  toggleKey,
  togglePage,
} from '../../lib/selection.ts';
import { ColumnChooser, useHiddenColumns } from '../../ui/column-chooser.tsx';
import type { Selection } from '../../ui/data-table.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { PagedTable, usePrefetchNextPage } from '../../ui/paged-table.tsx';
import { Empty } from '../../ui/states.tsx';
import { BulkDecision } from './bulk.tsx';
import { ROI_HIDDEN_BY_DEFAULT, ROI_LOCKED, roiColumns } from './columns.tsx';
import { RoiFilters } from './filters.tsx';
import { OfferPanel } from './offer-panel.tsx';
import { route } from './route.tsx';
import { SavedViews } from './saved-views.tsx';

const TABLE = 'roi';
const SORTABLE = new Set<string>(['roi', 'margin', 'profit', 'asin', 'vendor']);

const rowKey = (r: RoiRow) => `${r.asin}|${r.vendor_id}|${r.sku}`;

export default function RoiPage() {
  const search = route.useSearch();
  const navigate = useNavigate({ from: route.fullPath });
  const me = useMe();
  const prefs = usePreferences();
  const locale = useLocale();
  const marketCurrency = useCurrency();
  const canDecide = hasRole(me.role, 'ops');
  const resolved = resolveRoiSearch(search);

  const result = useQuery(roiPageQuery(search));
  const rows = result.data?.items ?? EMPTY_ROWS;
  const total = result.data?.total ?? 0;

  usePrefetchNextPage(
    result.data?.total,
    resolved.page,
    resolved.page_size,
    roiPageQuery({ ...search, page: resolved.page + 1 }),
  );

  const setSearch = useCallback(
    (patch: Partial<Record<keyof RoiSearch, unknown>>) =>
      void navigate({ search: (prev: RoiSearch) => updateRoiSearch(prev, patch) }),
    [navigate],
  );

  // --- selection (by ASIN: a decision is about a product) ---
  const filter = useMemo(() => roiFilterParams(search), [search]);
  const filterKey = JSON.stringify(filter);
  const [rawSelection, setSelection] = useState<SelectionState>(EMPTY_SELECTION);
  const selection = forFilter(rawSelection, filterKey);
  const pageAsins = useMemo(() => [...new Set(rows.map((r) => r.asin))], [rows]);
  const wholePage = pageAsins.length > 0 && pageAsins.every((a) => isSelected(selection, a));
  const count = useQuery({
    ...roiCountQuery(search),
    enabled: canDecide && (wholePage || selection.mode === 'all'),
  });
  const matching = count.data?.asins;
  const nSelected = selectedCount(selection, matching);
  const tableSelection: Selection<RoiRow> | undefined = canDecide
    ? {
        isSelected: (r) => isSelected(selection, r.asin),
        toggle: (r) => setSelection(toggleKey(selection, r.asin, pageAsins)),
        togglePage: (select) => setSelection(togglePage(selection, pageAsins, select)),
        label: (r) => `Select ${r.asin}`,
      }
    : undefined;
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => setNotice(null), 10_000);
    return () => clearTimeout(t);
  }, [notice]);

  // --- columns ---
  const [openRow, setOpenRow] = useState<RoiRow | null>(null);
  const symbol = currencySymbol(marketCurrency ?? rows[0]?.currency, locale);
  const columns = useMemo(
    () => roiColumns({ locale, symbol, prefs, onOpen: setOpenRow }),
    [locale, symbol, prefs],
  );
  const { hidden, onToggle, onReset } = useHiddenColumns(TABLE, columns, ROI_HIDDEN_BY_DEFAULT, ROI_LOCKED);

  const onSort = (id: string) => {
    if (SORTABLE.has(id)) setSearch(nextSort(resolved, id as RoiSort, defaultOrder));
  };

  const currentParams = stringifySearchObject(roiSearchToParams(search)).replace(/^\?/, '');

  const body = (
    <PagedTable
      query={result}
      loadingLabel="Loading offers…"
      errorTitle="The offers could not be loaded"
      page={resolved.page}
      pageSize={resolved.page_size}
      total={total}
      onPaging={setSearch}
      columns={columns}
      rows={rows}
      rowKey={rowKey}
      caption="Vendor offers with landed cost and ROI"
      sort={{ id: resolved.sort, order: resolved.order }}
      onSortChange={onSort}
      hidden={hidden}
      selection={tableSelection}
      onRowClick={(r) => setOpenRow(r)}
      activeKey={openRow ? rowKey(openRow) : null}
      empty={
        <Empty title="No offers match these filters">
          {hasFilters(search)
            ? 'Widen or clear the filters.'
            : 'Import a vendor price list to see offers here.'}
        </Empty>
      }
    />
  );

  return (
    <>
      <PageHeader
        title="ROI review"
        description="Every vendor offer with its landed cost, profit and ROI. Click a row for the math; decide in bulk."
        actions={
          <>
            <SavedViews
              page={TABLE}
              current={currentParams}
              onOpen={(params) => void navigate({ search: parseRoiSearch(parseSearchString(params)) })}
            />
            <ColumnChooser
              columns={columns}
              hidden={hidden}
              locked={ROI_LOCKED}
              onToggle={onToggle}
              onReset={onReset}
            />
            <a className="btn btn-secondary" href={roiCsvHref(search)} download>
              Download CSV
            </a>
          </>
        }
      />
      <RoiFilters search={search} onChange={setSearch} />
      {canDecide ? (
        <div className="mb-2 flex min-h-9 flex-wrap items-center gap-2 text-sm" aria-live="polite">
          {nSelected ? (
            <>
              <span className="font-medium">
                {selection.mode === 'all'
                  ? `All ${matching === undefined ? '…' : formatInt(matching, locale)} matching products selected`
                  : `${formatInt(nSelected, locale)} product${nSelected === 1 ? '' : 's'} selected`}
              </span>
              {selection.mode === 'some' && wholePage && matching !== undefined && matching > nSelected ? (
                <button
                  type="button"
                  className="link"
                  onClick={() => setSelection(selectAllMatching(filterKey))}
                >
                  Select all {formatInt(matching, locale)} matching
                </button>
              ) : null}
              <button type="button" className="link" onClick={() => setSelection(EMPTY_SELECTION)}>
                Clear selection
              </button>
              <span className="mx-1 h-5 w-px bg-slate-300" aria-hidden />
              <BulkDecision
                selection={selection}
                filter={filter}
                matching={matching}
                onDone={(msg) => {
                  setNotice(msg);
                  setSelection(EMPTY_SELECTION);
                }}
              />
            </>
          ) : (
            <span className="text-slate-600">Tick rows to approve, reject or observe them in bulk.</span>
          )}
          {notice ? (
            <span role="status" className="ml-auto rounded bg-green-50 px-2 py-1 text-green-900">
              {notice}
            </span>
          ) : null}
        </div>
      ) : null}
      {body}
      <OfferPanel row={openRow} onClose={() => setOpenRow(null)} />
    </>
  );
}

const EMPTY_ROWS: RoiRow[] = [];
