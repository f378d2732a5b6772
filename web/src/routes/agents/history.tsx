import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { type AgentRun, agentRunsQuery } from '../../api/agents.ts';
import { formatSpan } from '../../lib/agents-cron.ts';
import { type AgentsSearch, RUN_STATUSES, runsCsvHref, runsQuery } from '../../lib/agents-search.ts';
import { runWords } from '../../lib/agents-status.ts';
import { compactPaging } from '../../lib/search-params.ts';
import type { DataColumn } from '../../ui/data-table.tsx';
import { PagedTable } from '../../ui/paged-table.tsx';
import { RelativeTime } from '../../ui/relative-time.tsx';
import { Empty } from '../../ui/states.tsx';
import { Counts } from './agents-table.tsx';

/** The runs of one agent (or all), newest first, paged on the server, state in the URL. */
export function RunsHistory({
  search,
  agents,
  onChange,
  locale,
}: {
  search: AgentsSearch;
  agents: string[];
  onChange: (patch: Partial<AgentsSearch>) => void;
  locale: string;
}) {
  const q = useQuery(agentRunsQuery(search));
  const { page, page_size } = runsQuery(search);
  const columns = useMemo<DataColumn<AgentRun>[]>(
    () => [
      { id: 'started', header: 'Started', cell: (r) => <RelativeTime value={r.started_at} /> },
      { id: 'agent', header: 'Agent', cell: (r) => <span className="font-mono">{r.agent}</span> },
      { id: 'status', header: 'Status', cell: (r) => runWords(r.status) },
      { id: 'mode', header: 'Mode', cell: (r) => (r.dry_run ? 'dry run' : 'real') },
      { id: 'trigger', header: 'Trigger', cell: (r) => r.trigger },
      { id: 'duration', header: 'Duration', numeric: true, cell: (r) => formatSpan(r.duration_ms) },
      {
        id: 'counts',
        header: 'Counts',
        width: 320,
        cell: (r) => (
          <span className="block truncate">
            <Counts counts={r.counts} locale={locale} />
          </span>
        ),
      },
      {
        id: 'error',
        header: 'Error or reason',
        width: 360,
        cell: (r) => (
          <span
            className={`block truncate ${r.error ? 'text-red-800' : 'text-slate-600'}`}
            title={r.error ?? r.reason ?? undefined}
          >
            {r.error ?? r.reason ?? ''}
          </span>
        ),
      },
    ],
    [locale],
  );
  return (
    <div>
      <form
        aria-label="Filter the runs"
        className="mb-2 flex flex-wrap items-end gap-3"
        onSubmit={(e) => e.preventDefault()}
      >
        <div>
          <label className="label" htmlFor="runs-agent">
            Agent
          </label>
          <select
            id="runs-agent"
            className="input"
            value={search.agent ?? ''}
            onChange={(e) => onChange({ agent: e.target.value || undefined, page: undefined })}
          >
            <option value="">All agents</option>
            {agents.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label className="label" htmlFor="runs-status">
            Status
          </label>
          <select
            id="runs-status"
            className="input"
            value={search.status ?? ''}
            onChange={(e) =>
              onChange({ status: (e.target.value || undefined) as AgentsSearch['status'], page: undefined })
            }
          >
            <option value="">Any status</option>
            {RUN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {runWords(s)}
              </option>
            ))}
          </select>
        </div>
        <a className="btn btn-secondary ml-auto" href={runsCsvHref(search)} download>
          Download CSV
        </a>
      </form>
      <PagedTable
        query={q}
        loadingLabel="Loading the runs…"
        errorTitle="Could not load the runs"
        page={page}
        pageSize={page_size}
        total={q.data?.total ?? 0}
        onPaging={(p) => onChange(compactPaging(p))}
        columns={columns}
        rows={q.data?.items ?? NO_RUNS}
        rowKey={(r) => r.run_id}
        caption={search.agent ? `Runs of ${search.agent}, newest first` : 'Agent runs, newest first'}
        maxHeight="32rem"
        scrollLabel="Agent runs"
        empty={
          <Empty title="No runs match">
            {search.agent || search.status ? 'Clear the filters.' : 'No agent has run yet.'}
          </Empty>
        }
      />
    </div>
  );
}

const NO_RUNS: AgentRun[] = [];
