import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { loadsPageQuery, type ReportLoad } from '../../api/reports.ts';
import { formatSpan } from '../../lib/agents-cron.ts';
import { formatInt } from '../../lib/format.ts';
import {
  LOAD_STATUSES,
  loadsCsvHref,
  loadsQuery,
  REPORT_TYPE_NAMES,
  type ReportsSearch,
  typeName,
} from '../../lib/reports-search.ts';
import { compactPaging } from '../../lib/search-params.ts';
import type { DataColumn } from '../../ui/data-table.tsx';
import { PagedTable } from '../../ui/paged-table.tsx';
import { RelativeTime } from '../../ui/relative-time.tsx';
import { Empty } from '../../ui/states.tsx';

const STATUS_WORDS: Record<string, string> = {
  success: '✓ loaded',
  failed: '✗ failed',
  pending: '… in progress',
  skipped: '= already loaded',
};

/** Every report load, newest first: filters, paging and the CSV of the whole filtered set. */
export function LoadsHistory({
  search,
  onChange,
  locale,
}: {
  search: ReportsSearch;
  onChange: (patch: Partial<ReportsSearch>) => void;
  locale: string;
}) {
  const q = useQuery(loadsPageQuery(search));
  const { page, page_size } = loadsQuery(search);
  const columns = useMemo<DataColumn<ReportLoad>[]>(() => {
    const n = (v: unknown) => formatInt(v, locale);
    return [
      { id: 'when', header: 'When', cell: (r) => <RelativeTime value={r.started_at} /> },
      { id: 'type', header: 'Report', cell: (r) => <span title={r.type}>{typeName(r.type)}</span> },
      {
        id: 'file',
        header: 'File',
        width: 260,
        cell: (r) => (
          <span className="block truncate" title={r.origin ?? undefined}>
            {r.file ?? '—'}
          </span>
        ),
      },
      { id: 'status', header: 'Result', cell: (r) => STATUS_WORDS[r.status] ?? r.status },
      { id: 'rows', header: 'Rows', numeric: true, cell: (r) => n(r.rows) },
      { id: 'inserted', header: 'New', numeric: true, cell: (r) => n(r.inserted) },
      {
        id: 'rejected',
        header: 'Rejected',
        numeric: true,
        cell: (r) => <span className={r.rejected ? 'text-red-700' : ''}>{n(r.rejected)}</span>,
      },
      { id: 'duration', header: 'Took', numeric: true, cell: (r) => formatSpan(r.duration_ms) },
      { id: 'marketplace', header: 'Market', cell: (r) => r.marketplace },
      {
        id: 'actor',
        header: 'By',
        cell: (r) => (
          <span className="text-xs text-slate-700">
            {r.actor ?? '—'}
            {r.source ? ` (${r.source})` : ''}
          </span>
        ),
      },
    ];
  }, [locale]);

  return (
    <div>
      <form
        aria-label="Filter the loads"
        className="mb-2 flex flex-wrap items-end gap-3"
        onSubmit={(e) => e.preventDefault()}
      >
        <div>
          <label className="label" htmlFor="loads-type">
            Report type
          </label>
          <select
            id="loads-type"
            className="input"
            value={search.type ?? ''}
            onChange={(e) => onChange({ type: e.target.value || undefined, page: undefined })}
          >
            <option value="">All types</option>
            {Object.entries(REPORT_TYPE_NAMES).map(([t, name]) => (
              <option key={t} value={t}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label className="label" htmlFor="loads-status">
            Result
          </label>
          <select
            id="loads-status"
            className="input"
            value={search.status ?? ''}
            onChange={(e) =>
              onChange({ status: (e.target.value || undefined) as ReportsSearch['status'], page: undefined })
            }
          >
            <option value="">Any result</option>
            {LOAD_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_WORDS[s]}
              </option>
            ))}
          </select>
        </div>
        <a className="btn btn-secondary ml-auto" href={loadsCsvHref(search)} download>
          Download CSV
        </a>
      </form>
      <PagedTable
        query={q}
        loadingLabel="Loading the loads…"
        errorTitle="Could not load the history"
        page={page}
        pageSize={page_size}
        total={q.data?.total ?? 0}
        onPaging={(p) => onChange(compactPaging(p))}
        columns={columns}
        rows={q.data?.items ?? NO_LOADS}
        rowKey={(r) => String(r.id)}
        caption="Report loads, newest first"
        maxHeight="32rem"
        scrollLabel="Report loads"
        empty={
          <Empty
            title={search.type || search.status ? 'No load matches these filters' : 'No report loaded yet'}
          >
            {search.type || search.status ? 'Clear the filters.' : 'Upload a report above.'}
          </Empty>
        }
      />
    </div>
  );
}

const NO_LOADS: ReportLoad[] = [];
