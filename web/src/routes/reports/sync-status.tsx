import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useMemo } from 'react';
import { type SyncItem, syncStatusQuery } from '../../api/reports.ts';
import { DASH, formatInt, formatNumber } from '../../lib/format.ts';
import { type DataColumn, DataTable } from '../../ui/data-table.tsx';
import { RelativeTime } from '../../ui/relative-time.tsx';
import { Empty, ErrorState, Loading } from '../../ui/states.tsx';

/** "fresh" / "stale (30 h, target 4 h)" / "never loaded": the freshness is the server's, on its clock. */
function Freshness({ item, target, locale }: { item: SyncItem; target: number | undefined; locale: string }) {
  if (item.fresh) return <span className="text-emerald-800">✓ fresh</span>;
  const age = item.age_hours === null ? 'never loaded' : `${formatNumber(item.age_hours, locale, 0)} h old`;
  return (
    <span className="rounded bg-amber-100 px-1.5 py-0.5 font-medium text-amber-900" data-stale={item.name}>
      ⚠ stale: {age}
      {target ? `, target ${formatNumber(target, locale, 0)} h` : ''}
    </span>
  );
}

/**
 * What the loaded data covers: the last whole UTC day of a windowed report (windows end at a UTC
 * midnight, exclusive); snapshots (listings, inventory, fee preview) and settlements, which Amazon
 * issues itself, have no data window to show.
 */
function dataUpTo(item: SyncItem, type: { windowed: boolean; listed: boolean } | undefined, locale: string) {
  if (type?.listed) return 'as Amazon issues them';
  if (type && !type.windowed) return 'latest snapshot';
  if (!item.data_to) return DASH;
  const lastDay = new Date(new Date(item.data_to).getTime() - 1);
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(lastDay);
}

/**
 * The reports AWA pulls from Amazon on its own (SP-API): one row per report type and marketplace,
 * flagged when its data is older than the type's freshness target. Read-only: the `sync` agent runs
 * on its schedule, and on demand from the Agents page or `awa sync run`.
 */
export function SyncStatusPanel({ locale }: { locale: string }) {
  const q = useQuery(syncStatusQuery());
  const types = useMemo(() => new Map((q.data?.types ?? []).map((t) => [t.type, t])), [q.data]);
  const columns = useMemo<DataColumn<SyncItem>[]>(
    () => [
      { id: 'name', header: 'Report', cell: (r) => <span title={r.type}>{r.name}</span> },
      { id: 'marketplace', header: 'Market', cell: (r) => r.marketplace },
      {
        id: 'fresh',
        header: 'Freshness',
        width: 250,
        cell: (r) => <Freshness item={r} target={types.get(r.type)?.freshness_hours} locale={locale} />,
      },
      {
        id: 'window',
        header: 'Data through',
        width: 160,
        cell: (r) => dataUpTo(r, types.get(r.type), locale),
      },
      { id: 'success', header: 'Last success', cell: (r) => <RelativeTime value={r.last_success_at} /> },
      { id: 'next', header: 'Next run', cell: (r) => <RelativeTime value={r.next_run_at} /> },
      { id: 'rows', header: 'Rows loaded', numeric: true, cell: (r) => formatInt(r.rows_loaded, locale) },
      {
        id: 'error',
        header: 'Last error',
        width: 320,
        cell: (r) =>
          r.last_error ? (
            <span className="block truncate text-red-800" title={r.last_error}>
              {r.last_error}
            </span>
          ) : (
            DASH
          ),
      },
    ],
    [locale, types],
  );
  if (q.isPending) return <Loading label="Reading the sync status…" />;
  if (q.isError)
    return (
      <ErrorState error={q.error} title="The sync status could not be read" onRetry={() => q.refetch()} />
    );
  const { configured, reason, items } = q.data;
  if (!configured)
    return (
      <Empty title="Not connected to Amazon">
        {reason ?? 'Set the SP_API_* credentials'} — until then, load reports by hand below.
      </Empty>
    );
  const stale = items.filter((i) => !i.fresh).length;
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-700" role="status">
        {items.length === 0
          ? 'Nothing synced yet: the sync agent runs on its schedule.'
          : stale === 0
            ? `All ${items.length} report feeds are within their freshness targets.`
            : `${stale} of ${items.length} report feeds are stale beyond their target.`}{' '}
        <Link to="/agents" search={{ agent: 'sync' }} className="text-blue-700 underline">
          Sync runs
        </Link>
      </p>
      {items.length > 0 ? (
        <DataTable
          caption="Reports pulled from Amazon, per type and marketplace"
          columns={columns}
          rows={items}
          rowKey={(r) => `${r.type}:${r.marketplace}`}
          scrollLabel="Synced reports"
        />
      ) : null}
    </div>
  );
}
