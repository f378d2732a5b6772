import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type ReactNode, useCallback, useMemo, useState } from 'react';
import { type FromPlanResult, type PlanLine, planCsvHref, planQuery, plansQuery } from '../../api/restock.ts';
import { hasRole, useLocale, useMe } from '../../api/session.ts';
import { currencySymbol, formatInt } from '../../lib/format.ts';
import { fromPlanBody } from '../../lib/restock-qty.ts';
import {
  defaultLineOrder,
  type LineSort,
  parseQty,
  type RestockSearch,
  resolveRestockSearch,
  updateRestockSearch,
} from '../../lib/restock-search.ts';
import { nextSort } from '../../lib/search-params.ts';
import { ColumnChooser, useHiddenColumns } from '../../ui/column-chooser.tsx';
import type { Selection } from '../../ui/data-table.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { PagedTable, usePrefetchNextPage } from '../../ui/paged-table.tsx';
import { Empty, ErrorState, Loading } from '../../ui/states.tsx';
import { RESTOCK_HIDDEN_BY_DEFAULT, RESTOCK_LOCKED, restockColumns } from './columns.tsx';
import { RestockFilters } from './filters.tsx';
import { LinePanel } from './line-panel.tsx';
import { CreatedNotice, OrderDialog } from './order-dialog.tsx';
import { RecomputeButton, RecomputeStatus } from './recompute.tsx';
import { route } from './route.tsx';

const TABLE = 'restock';
const SORTABLE = new Set<string>([
  'days_to_stockout',
  'qty',
  'line_cost',
  'sku',
  'vendor',
  'demand',
  'days_of_cover',
]);
const EMPTY: PlanLine[] = [];

type Picked = { mode: 'some'; keys: ReadonlySet<string> } | { mode: 'all' };
const NONE: Picked = { mode: 'some', keys: new Set() };

export default function RestockPage() {
  const search = route.useSearch();
  const navigate = useNavigate({ from: route.fullPath });
  const me = useMe();
  const locale = useLocale();
  const canOrder = hasRole(me.role, 'ops');
  const isAdmin = hasRole(me.role, 'admin');
  const resolved = resolveRestockSearch(search);

  const setSearch = useCallback(
    (patch: Partial<Record<keyof RestockSearch, unknown>>) =>
      void navigate({ search: (prev: RestockSearch) => updateRestockSearch(prev, patch) }),
    [navigate],
  );

  const plans = useQuery(plansQuery);
  const planId = search.plan ?? plans.data?.items[0]?.id;
  const detail = useQuery(planQuery(planId, search));
  const plan = detail.data?.plan ?? plans.data?.items.find((p) => p.id === planId);
  const rows = detail.data?.lines.items ?? EMPTY;
  const total = detail.data?.lines.total ?? 0;
  const currency = plan?.currency ?? me.currency ?? 'EUR';

  usePrefetchNextPage(
    detail.data?.lines.total,
    resolved.page,
    resolved.page_size,
    planQuery(planId, { ...search, page: resolved.page + 1 }),
  );

  // --- typed quantities and the selection (by SKU, across pages; void when the plan changes) ---
  const [typedText, setTypedText] = useState<Map<string, string>>(() => new Map());
  const [picked, setPicked] = useState<Picked>(NONE);
  const [pickedPlan, setPickedPlan] = useState(planId);
  if (pickedPlan !== planId) {
    setPickedPlan(planId);
    setPicked(NONE);
    setTypedText(new Map());
  }
  const typed = useMemo(() => {
    const out = new Map<string, number>();
    for (const [sku, text] of typedText) {
      const p = parseQty(text);
      if (p && 'qty' in p) out.set(sku, p.qty);
    }
    return out;
  }, [typedText]);
  const invalidTyped = [...typedText.values()].some((t) => {
    const p = parseQty(t);
    return p !== null && 'error' in p;
  });
  const onType = useCallback((line: PlanLine, text: string) => {
    setTypedText((prev) => {
      const next = new Map(prev);
      if (text === '') next.delete(line.sku);
      else next.set(line.sku, text);
      return next;
    });
    // typing a quantity means ordering that line
    if (text.trim() !== '' && line.vendor_id !== null) {
      setPicked((prev) =>
        prev.mode === 'all' || prev.keys.has(line.sku)
          ? prev
          : { mode: 'some', keys: new Set([...prev.keys, line.sku]) },
      );
    }
  }, []);
  const orderable = rows.filter((r) => r.vendor_id !== null).map((r) => r.sku);
  const selection: Selection<PlanLine> | undefined = canOrder
    ? {
        isSelected: (r) =>
          r.vendor_id !== null &&
          (picked.mode === 'all' ? r.qty > 0 || typed.has(r.sku) : picked.keys.has(r.sku)),
        toggle: (r) => {
          if (r.vendor_id === null) return;
          const keys = new Set(picked.mode === 'all' ? [] : picked.keys);
          if (keys.has(r.sku)) keys.delete(r.sku);
          else keys.add(r.sku);
          setPicked({ mode: 'some', keys });
        },
        togglePage: (select) => {
          const keys = new Set(picked.mode === 'all' ? [] : picked.keys);
          for (const sku of orderable) {
            if (select) keys.add(sku);
            else keys.delete(sku);
          }
          setPicked({ mode: 'some', keys });
        },
        label: (r) => (r.vendor_id === null ? `${r.sku} has no vendor` : `Select ${r.sku}`),
      }
    : undefined;
  const nPicked = picked.mode === 'all' ? undefined : picked.keys.size;
  const [ordering, setOrdering] = useState(false);
  const [created, setCreated] = useState<FromPlanResult | null>(null);

  // --- columns ---
  const openLine = search.line ? (rows.find((r) => r.sku === search.line) ?? null) : null;
  const symbol = currencySymbol(currency, locale);
  const columns = useMemo(
    () =>
      restockColumns({
        locale,
        currency,
        symbol,
        onOpen: (l) => setSearch({ line: l.sku }),
        typed: canOrder ? typedText : null,
        onType,
      }),
    [locale, currency, symbol, setSearch, canOrder, typedText, onType],
  );
  const { hidden, onToggle, onReset } = useHiddenColumns(
    TABLE,
    columns,
    RESTOCK_HIDDEN_BY_DEFAULT,
    RESTOCK_LOCKED,
  );
  const onSort = (id: string) => {
    if (SORTABLE.has(id)) setSearch(nextSort(resolved, id as LineSort, defaultLineOrder));
  };

  let body: ReactNode;
  if (plans.isPending || (planId !== undefined && detail.isPending))
    body = <Loading label="Loading the plan…" />;
  else if (plans.error && !plans.data)
    body = (
      <ErrorState
        error={plans.error}
        title="The plans could not be loaded"
        onRetry={() => void plans.refetch()}
      />
    );
  else if (planId === undefined)
    body = (
      <Empty title="No restock plan yet">
        The restock agent computes one every week
        {isAdmin ? '; recompute now to see what it would order.' : '.'}
      </Empty>
    );
  else
    body = (
      <PagedTable
        query={detail}
        loadingLabel="Loading the plan…"
        errorTitle="The plan could not be loaded"
        page={resolved.page}
        pageSize={resolved.page_size}
        total={total}
        onPaging={setSearch}
        columns={columns}
        rows={rows}
        rowKey={(r) => r.sku}
        caption="Restock plan lines"
        sort={{ id: resolved.sort, order: resolved.order }}
        onSortChange={onSort}
        hidden={hidden}
        selection={selection}
        onRowClick={(r) => setSearch({ line: r.sku })}
        activeKey={search.line ?? null}
        empty={<Empty title="No lines match these filters">Clear the filters to see every line.</Empty>}
      />
    );

  return (
    <>
      <PageHeader
        title="Restock plan"
        description="What to reorder this week, per SKU: velocity, lead time, safety stock and reorder point. Click a SKU for its inputs; tick lines to place purchase orders."
        actions={
          <>
            {isAdmin ? <RecomputeButton onQueued={(job) => setSearch({ job })} /> : null}
            <ColumnChooser
              columns={columns}
              hidden={hidden}
              locked={RESTOCK_LOCKED}
              onToggle={onToggle}
              onReset={onReset}
            />
            {planId !== undefined ? (
              <a className="btn btn-secondary" href={planCsvHref(planId)} download>
                Download CSV
              </a>
            ) : null}
          </>
        }
      />
      {search.job ? (
        <RecomputeStatus jobId={search.job} onClose={() => setSearch({ job: undefined })} />
      ) : null}
      <RestockFilters
        plans={plans.data?.items ?? []}
        planId={planId}
        plan={plan}
        search={search}
        onChange={setSearch}
      />
      {canOrder && planId !== undefined ? (
        <div className="mb-2 flex min-h-9 flex-wrap items-center gap-2 text-sm" aria-live="polite">
          {picked.mode === 'all' || (nPicked ?? 0) > 0 ? (
            <>
              <span className="font-medium">
                {picked.mode === 'all'
                  ? `Every line that orders something is selected${typed.size ? ` (${typed.size} quantities typed)` : ''}`
                  : `${formatInt(nPicked, locale)} line${nPicked === 1 ? '' : 's'} selected`}
              </span>
              <button type="button" className="link" onClick={() => setPicked(NONE)}>
                Clear selection
              </button>
              <button
                type="button"
                className="btn btn-primary"
                disabled={invalidTyped}
                title={invalidTyped ? 'fix the quantities marked in red first' : undefined}
                onClick={() => setOrdering(true)}
              >
                Create purchase orders…
              </button>
            </>
          ) : (
            <>
              <span className="text-slate-600">
                Tick lines or type a quantity to order them, one purchase order per vendor.
              </span>
              {plan && plan.counts.order_lines > 0 ? (
                <button type="button" className="link" onClick={() => setPicked({ mode: 'all' })}>
                  Select every line that orders ({formatInt(plan.counts.order_lines, locale)})
                </button>
              ) : null}
            </>
          )}
          {created ? (
            <span role="status" className="ml-auto rounded bg-green-50 px-2 py-1 text-green-900">
              <CreatedNotice result={created} />
            </span>
          ) : null}
        </div>
      ) : null}
      {body}
      <LinePanel line={openLine} plan={plan} onClose={() => setSearch({ line: undefined })} />
      {canOrder && planId !== undefined ? (
        <OrderDialog
          planId={planId}
          open={ordering}
          onOpenChange={setOrdering}
          body={(dryRun) => fromPlanBody(picked, typed, dryRun)}
          onDone={(r) => {
            setOrdering(false);
            setCreated(r);
            setPicked(NONE);
            setTypedText(new Map());
          }}
        />
      ) : null}
    </>
  );
}
