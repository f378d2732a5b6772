import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useMemo } from 'react';
import { type LoggedDecision, logQuery, type RepricerRun, runsQuery } from '../../api/repricer.ts';
import { useCurrency, useLocale } from '../../api/session.ts';
import { currencySymbol, formatDateTime, formatInt, formatMoney } from '../../lib/format.ts';
import {
  GUARD_WORDS,
  GUARDS,
  hasLogFilters,
  type LogSort,
  logCsvHref,
  type RepricerSearch,
  resolvedOrder,
  updateRepricerSearch,
} from '../../lib/repricer-search.ts';
import type { DataColumn } from '../../ui/data-table.tsx';
import { PagedTable, usePrefetchNextPage } from '../../ui/paged-table.tsx';
import { RelativeTime } from '../../ui/relative-time.tsx';
import { Empty } from '../../ui/states.tsx';
import { ChangeCell, GuardChips, reasonColumn } from './decision-cells.tsx';
import { route } from './route.tsx';
import { SkuFilter } from './sku-filter.tsx';

const MODE_WORDS: Record<string, string> = { dry_run: 'dry run', apply: 'price book', live: 'live' };

function runLabel(r: RepricerRun, locale: string): string {
  const what = r.source === 'agent' ? 'run' : 'applied by hand';
  const mode = r.mode ? MODE_WORDS[r.mode] : '';
  const tripped = r.tripped ? ' — TRIPPED circuit breaker' : '';
  return `${formatDateTime(r.created_at, locale)} · ${what} · ${mode} · ${r.changed}/${r.decisions} changed${tripped}`;
}

export function LogTab() {
  const search = route.useSearch();
  const navigate = useNavigate({ from: route.fullPath });
  const setSearch = (patch: Partial<Record<keyof RepricerSearch, unknown>>) =>
    void navigate({ search: (prev: RepricerSearch) => updateRepricerSearch(prev, patch) });
  const locale = useLocale();
  const unit = currencySymbol(useCurrency(), locale);
  const result = useQuery(logQuery(search));
  const runs = useQuery(runsQuery).data?.items ?? [];
  const rows = result.data?.items ?? EMPTY;
  const total = result.data?.total ?? 0;
  const { sort, order } = resolvedOrder(search);
  const page = search.page ?? 1;
  const pageSize = search.page_size ?? 50;
  const trippedRuns = useMemo(() => new Set(runs.filter((r) => r.tripped).map((r) => r.run_id)), [runs]);

  usePrefetchNextPage(result.data?.total, page, pageSize, logQuery({ ...search, page: page + 1 }));

  const columns = useMemo<DataColumn<LoggedDecision>[]>(() => {
    const u = unit ? ` ${unit}` : '';
    const money = (v: unknown, r: LoggedDecision) => formatMoney(v, r.currency, locale);
    return [
      { id: 'time', header: 'When', sortable: true, cell: (r) => <RelativeTime value={r.created_at} /> },
      {
        id: 'sku',
        header: 'SKU',
        sortable: true,
        cell: (r) =>
          r.asin ? (
            <Link
              to="/sku/$asin"
              params={{ asin: r.asin }}
              className="font-mono text-xs text-blue-800 hover:underline"
              title={`Open the chart of ${r.asin}`}
            >
              {r.sku}
            </Link>
          ) : (
            <span className="font-mono text-xs">{r.sku}</span>
          ),
      },
      { id: 'old', header: `Old${u}`, numeric: true, cell: (r) => money(r.old_price, r) },
      { id: 'final', header: `New${u}`, numeric: true, cell: (r) => money(r.final_price, r) },
      {
        id: 'change',
        header: 'Change',
        numeric: true,
        sortable: true,
        cell: (r) => <ChangeCell d={r} locale={locale} />,
      },
      { id: 'floor', header: `Floor${u}`, numeric: true, cell: (r) => money(r.floor, r) },
      { id: 'buybox', header: `Buy box${u}`, numeric: true, cell: (r) => money(r.buybox, r) },
      { id: 'guards', header: 'Guards', cell: (r) => <GuardChips guards={r.guards} /> },
      reasonColumn<LoggedDecision>(420),
      { id: 'mode', header: 'Mode', cell: (r) => MODE_WORDS[r.mode] ?? r.mode },
    ];
  }, [locale, unit]);

  const onSort = (id: string) => {
    if (id !== 'time' && id !== 'sku' && id !== 'change') return;
    const next = id as LogSort;
    setSearch(
      sort === next
        ? { sort: next, order: order === 'asc' ? 'desc' : 'asc' }
        : { sort: next, order: undefined },
    );
  };

  const currentRun = runs.find((r) => r.run_id === search.run);
  const body = (
    <PagedTable
      query={result}
      loadingLabel="Loading decisions…"
      errorTitle="The log could not be loaded"
      page={page}
      pageSize={pageSize}
      total={total}
      onPaging={setSearch}
      columns={columns}
      rows={rows}
      rowKey={(r) => String(r.id)}
      caption="Repricer decisions"
      sort={{ id: sort, order }}
      onSortChange={onSort}
      empty={
        <Empty title="No decision matches">
          {hasLogFilters(search) ? 'Widen or clear the filters.' : 'The repricer has not run yet.'}
        </Empty>
      }
    >
      {result.data?.total_capped ? (
        <p className="mt-1 text-xs text-slate-600">
          More than {formatInt(total, locale)} decisions match: the count stops there. Filter by run or SKU to
          narrow it; the CSV has every one.
        </p>
      ) : null}
    </PagedTable>
  );

  return (
    <>
      <search aria-label="Log filters" className="mb-3 flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="log-run" className="label">
            Run
          </label>
          <select
            id="log-run"
            className="input max-w-md"
            value={search.run ?? ''}
            onChange={(e) => setSearch({ run: e.target.value || undefined })}
          >
            <option value="">All runs</option>
            {runs.map((r) => (
              <option key={r.run_id} value={r.run_id}>
                {runLabel(r, locale)}
              </option>
            ))}
            {search.run && !currentRun ? <option value={search.run}>{search.run}</option> : null}
          </select>
        </div>
        <SkuFilter label="SKU" value={search.sku} onCommit={(sku) => setSearch({ sku })} />
        <div>
          <label htmlFor="log-guard" className="label">
            Guard
          </label>
          <select
            id="log-guard"
            className="input"
            value={search.guard ?? ''}
            onChange={(e) => setSearch({ guard: e.target.value || undefined })}
          >
            <option value="">Any</option>
            {GUARDS.map((g) => (
              <option key={g} value={g}>
                {GUARD_WORDS[g]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="log-changed" className="label">
            Price
          </label>
          <select
            id="log-changed"
            className="input"
            value={search.changed === undefined ? '' : String(search.changed)}
            onChange={(e) => setSearch({ changed: e.target.value || undefined })}
          >
            <option value="">Changed or not</option>
            <option value="true">Changed</option>
            <option value="false">Unchanged</option>
          </select>
        </div>
        {hasLogFilters(search) ? (
          <button
            type="button"
            className="btn btn-secondary mb-px"
            onClick={() =>
              setSearch({ run: undefined, sku: undefined, guard: undefined, changed: undefined })
            }
          >
            Clear filters
          </button>
        ) : null}
        <a className="btn btn-secondary mb-px ml-auto" href={logCsvHref(search)} download>
          Download CSV
        </a>
      </search>
      {currentRun?.tripped || (search.run && trippedRuns.has(search.run)) ? (
        <p
          role="note"
          className="mb-2 rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900"
        >
          <strong>Circuit breaker tripped:</strong> too many prices would have dropped by more than 20 % in
          this run, so nothing was applied. Its changed decisions carry the “circuit breaker” guard.
        </p>
      ) : null}
      {runs.some((r) => r.tripped) && !search.run ? (
        <p className="mb-2 text-sm text-red-900">
          <span aria-hidden>⚠ </span>
          {runs.filter((r) => r.tripped).length} recent run
          {runs.filter((r) => r.tripped).length === 1 ? '' : 's'} tripped the circuit breaker.{' '}
          <button type="button" className="link" onClick={() => setSearch({ guard: 'breaker' })}>
            Show their decisions
          </button>
        </p>
      ) : null}
      {body}
    </>
  );
}

const EMPTY: LoggedDecision[] = [];
