import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { type ScoreRow, scoresPageQuery } from '../../api/scores.ts';
import { useLocale } from '../../api/session.ts';
import { vendorsQuery } from '../../api/vendors.ts';
import { formatNumber, formatPct } from '../../lib/format.ts';
import {
  COMPONENT_NAMES,
  hasScoreFilters,
  resolveScoresSearch,
  type ScoreSort,
  type ScoresSearch,
  scoreDefaultOrder,
  scoresCsvHref,
  updateScoresSearch,
} from '../../lib/scores-search.ts';
import { nextSort } from '../../lib/search-params.ts';
import { asinColumn } from '../../ui/cells.tsx';
import type { DataColumn } from '../../ui/data-table.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { PagedTable, usePrefetchNextPage } from '../../ui/paged-table.tsx';
import { RelativeTime } from '../../ui/relative-time.tsx';
import { Empty } from '../../ui/states.tsx';
import { ScoreMath } from './math.tsx';
import { route } from './route.tsx';

type Patch = Partial<Record<keyof ScoresSearch, unknown>>;
const SORTABLE = new Set(['score', 'confidence', 'asin']);
const COMPONENTS = ['profitability', 'demand', 'competition', 'stability', 'returns'] as const;

function NumberFilter({
  label,
  value,
  onCommit,
  width = 'w-20',
  placeholder,
}: {
  label: string;
  value: string | number | undefined;
  onCommit: (v: string) => void;
  width?: string;
  placeholder?: string;
}) {
  const id = useId();
  const external = value === undefined ? '' : String(value);
  const [text, setText] = useState(external);
  useEffect(() => setText(external), [external]);
  const commit = () => text.trim() !== external && onCommit(text.trim());
  return (
    <div>
      <label htmlFor={id} className="label">
        {label}
      </label>
      <input
        id={id}
        className={`input ${width}`}
        inputMode="decimal"
        value={text}
        placeholder={placeholder}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
    </div>
  );
}

/** A score 0–100 with its band in words too (colour is never the only signal). */
function ScoreCell({ value, locale }: { value: number; locale: string }) {
  const band =
    value >= 70
      ? ['high', 'text-green-800']
      : value >= 40
        ? ['mid', 'text-slate-800']
        : ['low', 'text-red-800'];
  return (
    <span className={`font-semibold ${band[1]}`}>
      {formatNumber(value, locale, 1, true)}{' '}
      <span className="text-xs font-normal text-slate-600">{band[0]}</span>
    </span>
  );
}

function columns(
  locale: string,
  weights: Record<string, number>,
  onOpen: (r: ScoreRow) => void,
): DataColumn<ScoreRow>[] {
  return [
    asinColumn<ScoreRow>(),
    {
      id: 'title',
      header: 'Title',
      width: 220,
      cell: (r) => (
        <button
          type="button"
          className="block w-full truncate text-left hover:underline"
          title={`${r.title ?? r.asin}: show the math`}
          onClick={() => onOpen(r)}
        >
          {r.title ?? <span className="text-slate-600">(no title)</span>}
        </button>
      ),
    },
    {
      id: 'vendor',
      header: 'Best offer vendor',
      width: 150,
      cell: (r) => (
        <span className="block truncate">
          {r.vendor_name ?? <span className="text-slate-600">no offer</span>}
        </span>
      ),
    },
    {
      id: 'score',
      header: 'Score 0–100',
      numeric: true,
      sortable: true,
      title: '100 × Σ weight × component ÷ the weights measured',
      cell: (r) => <ScoreCell value={r.score} locale={locale} />,
    },
    {
      id: 'confidence',
      header: 'Confidence %',
      numeric: true,
      sortable: true,
      title: 'Share of the weights whose inputs were there: missing inputs lower it, never the score',
      cell: (r) => formatPct(r.confidence * 100, locale, 0),
    },
    ...COMPONENTS.map(
      (c): DataColumn<ScoreRow> => ({
        id: c,
        header: `${COMPONENT_NAMES[c]} ×${formatNumber(weights[c] ?? 0, locale, 2, true)}`,
        numeric: true,
        title: `0–1, weight ${formatPct((weights[c] ?? 0) * 100, locale, 0)}`,
        cell: (r) => {
          const v = r.components[c];
          return v === null || v === undefined ? (
            <span className="text-xs text-slate-600" title={r.explanation[c]}>
              not measured
            </span>
          ) : (
            <span title={r.explanation[c]}>{formatNumber(v, locale, 2, true)}</span>
          );
        },
      }),
    ),
    { id: 'scored_at', header: 'Scored', cell: (r) => <RelativeTime value={r.scored_at} /> },
  ];
}

export default function ScoresPage() {
  const search = route.useSearch();
  const navigate = useNavigate({ from: route.fullPath });
  const locale = useLocale();
  const resolved = resolveScoresSearch(search);
  const result = useQuery(scoresPageQuery(search));
  const vendors = useQuery(vendorsQuery).data?.items ?? [];
  const rows = result.data?.items ?? EMPTY;
  const weights = result.data?.weights ?? NO_WEIGHTS;

  usePrefetchNextPage(
    result.data?.total,
    resolved.page,
    resolved.page_size,
    scoresPageQuery({ ...search, page: resolved.page + 1 }),
  );

  const setSearch = useCallback(
    (patch: Patch) => void navigate({ search: (prev: ScoresSearch) => updateScoresSearch(prev, patch) }),
    [navigate],
  );
  const [open, setOpen] = useState<ScoreRow | null>(null);
  const cols = useMemo(() => columns(locale, weights, setOpen), [locale, weights]);
  const onSort = (id: string) => {
    if (SORTABLE.has(id)) setSearch(nextSort(resolved, id as ScoreSort, scoreDefaultOrder));
  };
  const num = (key: keyof ScoresSearch) => (v: string) => setSearch({ [key]: v === '' ? undefined : v });

  const body = (
    <PagedTable
      query={result}
      loadingLabel="Loading scores…"
      errorTitle="The scores could not be loaded"
      page={resolved.page}
      pageSize={resolved.page_size}
      total={result.data?.total ?? 0}
      onPaging={setSearch}
      columns={cols}
      rows={rows}
      rowKey={(r) => r.asin}
      caption="Latest score of every product, with its components"
      sort={{ id: resolved.sort, order: resolved.order }}
      onSortChange={onSort}
      onRowClick={setOpen}
      activeKey={open?.asin ?? null}
      empty={
        <Empty title="No scores match">
          {hasScoreFilters(search)
            ? 'Widen or clear the filters.'
            : 'The scoring agent runs nightly; an admin can run it now on the Agents page.'}
        </Empty>
      }
    />
  );

  return (
    <>
      <PageHeader
        title="Scores"
        description="Every product's latest score 0–100 from profitability, demand, competition, price stability and returns risk. Click a row for the math."
        actions={
          <a className="btn btn-secondary" href={scoresCsvHref(search)} download>
            Download CSV
          </a>
        }
      />
      <search aria-label="Filters" className="mb-3 flex flex-wrap items-end gap-3">
        <NumberFilter
          label="Score from"
          value={search.score_min}
          onCommit={num('score_min')}
          placeholder="0"
        />
        <NumberFilter
          label="Score to"
          value={search.score_max}
          onCommit={num('score_max')}
          placeholder="100"
        />
        <NumberFilter
          label="Confidence % from"
          value={search.conf_min}
          onCommit={num('conf_min')}
          placeholder="0"
        />
        <NumberFilter
          label="Confidence % to"
          value={search.conf_max}
          onCommit={num('conf_max')}
          placeholder="100"
        />
        <div>
          <label htmlFor="scores-vendor" className="label">
            Best offer vendor
          </label>
          <select
            id="scores-vendor"
            className="input max-w-52"
            value={search.vendor === undefined ? '' : String(search.vendor)}
            onChange={(e) => setSearch({ vendor: e.target.value || undefined })}
          >
            <option value="">All vendors</option>
            {vendors.map((v) => (
              <option key={v.id} value={String(v.id)}>
                {v.name}
              </option>
            ))}
          </select>
        </div>
        <NumberFilter
          label="ASIN starts with"
          value={search.asin}
          onCommit={(v) => setSearch({ asin: v || undefined })}
          width="w-32"
        />
        {hasScoreFilters(search) ? (
          <button
            type="button"
            className="link mb-2"
            onClick={() =>
              setSearch({
                score_min: undefined,
                score_max: undefined,
                conf_min: undefined,
                conf_max: undefined,
                vendor: undefined,
                asin: undefined,
              })
            }
          >
            Clear filters
          </button>
        ) : null}
      </search>
      {body}
      {open ? <ScoreMath row={open} weights={weights} onClose={() => setOpen(null)} /> : null}
    </>
  );
}

const EMPTY: ScoreRow[] = [];
const NO_WEIGHTS: Record<string, number> = {};
