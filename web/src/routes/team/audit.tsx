import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { type AuditEntry, auditQueryOptions } from '../../api/team.ts';
import {
  AUDIT_KINDS,
  type AuditKind,
  auditCsvHref,
  hasAuditFilters,
  TEAM_DEFAULTS,
  type TeamSearch,
} from '../../lib/team-search.ts';
import type { DataColumn } from '../../ui/data-table.tsx';
import { PagedTable } from '../../ui/paged-table.tsx';
import { RelativeTime } from '../../ui/relative-time.tsx';
import { Empty } from '../../ui/states.tsx';
import type { SetTeamSearch } from './page.tsx';

const KIND_LABELS: Record<AuditKind, string> = {
  writes: 'Changes and events',
  events: 'Named events only',
  all: 'Everything, reads too',
};

function details(d: AuditEntry['details']): string {
  if (!d) return '';
  return Object.entries(d)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
}

const columns: DataColumn<AuditEntry>[] = [
  { id: 'at', header: 'When', cell: (e) => <RelativeTime value={e.at} />, hideable: false },
  { id: 'actor', header: 'Who', cell: (e) => e.actor, width: 220 },
  { id: 'role', header: 'Role', cell: (e) => e.role ?? '' },
  {
    id: 'action',
    header: 'What',
    cell: (e) => <span className={e.event ? 'font-medium' : ''}>{e.action}</span>,
  },
  {
    id: 'status',
    header: 'Status',
    numeric: true,
    cell: (e) =>
      e.method === 'CLI' ? (
        'CLI'
      ) : (
        <span className={e.status >= 400 ? 'text-red-800' : ''}>
          {e.status}
          {e.status >= 400 ? ' refused' : ''}
        </span>
      ),
  },
  {
    id: 'details',
    header: 'Details',
    width: 360,
    cell: (e) => (
      <span className="block truncate" title={details(e.details)}>
        {details(e.details)}
      </span>
    ),
  },
  { id: 'ip', header: 'IP', cell: (e) => e.ip ?? '' },
];

/** Commits on Apply (or Enter), not per keystroke: each change is a new query and a URL entry. */
function AuditFilters({ search, setSearch }: { search: TeamSearch; setSearch: SetTeamSearch }) {
  const id = useId();
  const [draft, setDraft] = useState({ actor: '', action: '', from: '', to: '' });
  useEffect(
    () =>
      setDraft({
        actor: search.actor ?? '',
        action: search.action ?? '',
        from: search.from ?? '',
        to: search.to ?? '',
      }),
    [search.actor, search.action, search.from, search.to],
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSearch({ ...draft });
  };
  const field = (key: keyof typeof draft, label: string, type: 'text' | 'date', width: string) => (
    <div>
      <label htmlFor={`${id}-${key}`} className="label">
        {label}
      </label>
      <input
        id={`${id}-${key}`}
        type={type}
        className={`input ${width}`}
        value={draft[key]}
        onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
      />
    </div>
  );
  return (
    <form aria-label="Filter the audit log" onSubmit={submit} className="mb-3 flex flex-wrap items-end gap-3">
      {field('actor', 'Who (e-mail or token)', 'text', 'w-56')}
      {field('action', 'What (event or route)', 'text', 'w-48')}
      {field('from', 'From day', 'date', 'w-40')}
      {field('to', 'To day', 'date', 'w-40')}
      <div>
        <label htmlFor={`${id}-only`} className="label">
          Show
        </label>
        <select
          id={`${id}-only`}
          className="input"
          value={search.only ?? TEAM_DEFAULTS.only}
          onChange={(e) => setSearch({ only: e.target.value })}
        >
          {AUDIT_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="btn btn-primary">
        Apply
      </button>
      {hasAuditFilters(search) ? (
        <button
          type="button"
          className="btn btn-secondary"
          onClick={() => setSearch({ actor: '', action: '', from: '', to: '' })}
        >
          Clear
        </button>
      ) : null}
    </form>
  );
}

export function AuditTab({ search, setSearch }: { search: TeamSearch; setSearch: SetTeamSearch }) {
  const result = useQuery(auditQueryOptions(search));
  const page = search.page ?? 1;
  const pageSize = search.page_size ?? TEAM_DEFAULTS.page_size;
  return (
    <div>
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-slate-700">
          Every signed-in request and event: sign-ins, user and token changes, imports, approvals. Newest
          first.
        </p>
        <span className="flex gap-2">
          {/* entries are written in batches about a second apart: the newest may need a refresh */}
          <button
            type="button"
            className="btn btn-secondary"
            disabled={result.isFetching}
            onClick={() => void result.refetch()}
          >
            {result.isFetching ? 'Refreshing…' : 'Refresh'}
          </button>
          <a className="btn btn-secondary" href={auditCsvHref(search)} download>
            Download CSV
          </a>
        </span>
      </div>
      <AuditFilters search={search} setSearch={setSearch} />
      <PagedTable
        query={result}
        loadingLabel="Loading the audit log…"
        errorTitle="The audit log could not be loaded"
        page={page}
        pageSize={pageSize}
        total={result.data?.total ?? 0}
        onPaging={setSearch}
        columns={columns}
        rows={result.data?.items ?? NO_ENTRIES}
        rowKey={(e) => String(e.id)}
        caption="Audit log"
        scrollLabel="Audit log entries"
        empty={
          <Empty title="Nothing matches these filters">
            {hasAuditFilters(search) ? 'Widen or clear the filters.' : 'No entries yet.'}
          </Empty>
        }
      />
    </div>
  );
}

const NO_ENTRIES: AuditEntry[] = [];
