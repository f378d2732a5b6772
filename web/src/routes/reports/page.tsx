import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useCallback } from 'react';
import { hasRole, useLocale, useMe } from '../../api/session.ts';
import type { ReportsSearch } from '../../lib/reports-search.ts';
import { PageHeader } from '../../ui/page-header.tsx';
import { Section } from '../../ui/section.tsx';
import { LoadsHistory } from './history.tsx';
import { IngestStatus } from './ingest-status.tsx';
import { LoadForm } from './load-form.tsx';
import { route } from './route.tsx';
import { SyncStatusPanel } from './sync-status.tsx';

export default function ReportsPage() {
  const search = route.useSearch();
  const navigate = useNavigate({ from: route.fullPath });
  const me = useMe();
  const locale = useLocale();
  const queryClient = useQueryClient();
  const canIngest = hasRole(me.role, 'ops');

  const setSearch = useCallback(
    (patch: Partial<ReportsSearch>) =>
      void navigate({ search: (prev: ReportsSearch) => ({ ...prev, ...patch }), replace: true }),
    [navigate],
  );
  const watch = useCallback((job: string | undefined) => setSearch({ job }), [setSearch]);
  const refresh = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: ['report-loads'] });
  }, [queryClient]);

  return (
    <div className="space-y-4">
      <PageHeader
        title="Amazon reports"
        description="Amazon's reports in AWA: pulled from SP-API on a schedule when connected, or loaded by hand (the type is read from the header first, a dry run shows what would change). Every load below."
      />
      <Section
        title="Pulled from Amazon"
        description="Reports AWA requests from SP-API on its own schedule, per type and marketplace; a feed older than its freshness target is flagged."
      >
        <SyncStatusPanel locale={locale} />
      </Section>
      {canIngest ? (
        <Section
          title="Load a report"
          description="Fee Preview, All Listings, Manage FBA Inventory, Inventory Ledger, returns, reimbursements, settlements, Sponsored Products."
        >
          <LoadForm csrfToken={me.csrf_token} locale={locale} busy={false} onQueued={(job) => watch(job)} />
        </Section>
      ) : null}
      {search.job ? (
        <IngestStatus
          key={search.job}
          jobId={search.job}
          locale={locale}
          canIngest={canIngest}
          onQueued={(job) => watch(job)}
          onDone={refresh}
          onClose={() => watch(undefined)}
        />
      ) : null}
      <Section title="History of loads" description="Every report ingested, newest first, with its counts.">
        <LoadsHistory search={search} onChange={setSearch} locale={locale} />
      </Section>
    </div>
  );
}
