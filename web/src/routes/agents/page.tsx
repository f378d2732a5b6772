import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useCallback, useState } from 'react';
import { type AgentState, agentStatusQuery } from '../../api/agents.ts';
import { hasRole, useLocale, useMe } from '../../api/session.ts';
import type { AgentsSearch } from '../../lib/agents-search.ts';
import { PageHeader } from '../../ui/page-header.tsx';
import { Section } from '../../ui/section.tsx';
import { ErrorState, Loading } from '../../ui/states.tsx';
import { AgentsTable } from './agents-table.tsx';
import { RunsHistory } from './history.tsx';
import { route } from './route.tsx';
import { RunDialog, RunWatch } from './run-watch.tsx';

export default function AgentsPage() {
  const search = route.useSearch();
  const navigate = useNavigate({ from: route.fullPath });
  const me = useMe();
  const locale = useLocale();
  const canRun = hasRole(me.role, 'admin');
  const status = useQuery(agentStatusQuery);
  const [running, setRunning] = useState<AgentState | null>(null);

  const setSearch = useCallback(
    (patch: Partial<AgentsSearch>) =>
      void navigate({ search: (prev: AgentsSearch) => ({ ...prev, ...patch }), replace: true }),
    [navigate],
  );
  const agents = status.data?.items ?? [];
  const stale = agents.filter((a) => a.stale).length;

  return (
    <div className="space-y-4">
      <PageHeader
        title="Agents"
        description={
          <>
            The scheduled workers that fetch Keepa data and fees, refresh ROI, score, reprice and plan
            restock: when each ran, what it did, and whether one missed its schedule.
            {stale > 0 ? (
              <span className="ml-1 font-medium text-amber-900">
                ⚠ {stale} agent{stale === 1 ? '' : 's'} missed {stale === 1 ? 'its' : 'their'} schedule.
              </span>
            ) : null}
          </>
        }
      />
      {search.job ? (
        <RunWatch
          key={search.job}
          jobId={search.job}
          locale={locale}
          onClose={() => setSearch({ job: undefined })}
        />
      ) : null}
      {status.isPending ? (
        <Loading label="Loading the agents…" />
      ) : status.isError ? (
        <ErrorState
          error={status.error}
          title="Could not load the agents"
          onRetry={() => void status.refetch()}
        />
      ) : (
        <AgentsTable
          agents={agents}
          locale={locale}
          now={status.dataUpdatedAt || Date.now()}
          canRun={canRun}
          selected={search.agent}
          onHistory={(agent) =>
            setSearch({ agent: agent === search.agent ? undefined : agent, page: undefined })
          }
          onRun={setRunning}
        />
      )}
      <Section
        title={search.agent ? `History of ${search.agent}` : 'History of runs'}
        description="Every run with its mode, duration, counts and error, newest first."
      >
        <RunsHistory
          search={search}
          agents={agents.map((a) => a.name)}
          onChange={setSearch}
          locale={locale}
        />
      </Section>
      <RunDialog
        agent={running}
        onClose={() => setRunning(null)}
        onQueued={(job) => {
          setRunning(null);
          setSearch({ job, agent: running?.name, page: undefined });
        }}
      />
    </div>
  );
}
