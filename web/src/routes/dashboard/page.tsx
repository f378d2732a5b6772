import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { dashboardQuery } from '../../api/dashboard.ts';
import { useLocale } from '../../api/session.ts';
import { ROI_FLAGS } from '../../lib/flags.ts';
import { formatInt, formatPct } from '../../lib/format.ts';
import { FlagChip } from '../../ui/flag-chip.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { RelativeTime } from '../../ui/relative-time.tsx';
import { Empty, ErrorState, Loading } from '../../ui/states.tsx';
import { AgentLine, Kpi, ReturnsSummary, Section, Status, VendorTable } from './parts.tsx';

export default function DashboardPage() {
  const locale = useLocale();
  const q = useQuery(dashboardQuery);

  const header = (
    <PageHeader
      title="Dashboard"
      description="How the catalogue, the offers and the agents stand today; every figure links to where it is dealt with."
      actions={
        q.data ? (
          <span className="text-xs text-slate-600">
            ROI view refreshed <RelativeTime value={q.data.kpi.last_refresh_at} />
          </span>
        ) : null
      }
    />
  );
  if (q.isPending)
    return (
      <>
        {header}
        <Loading label="Loading the dashboard…" />
      </>
    );
  if (q.error)
    return (
      <>
        {header}
        <ErrorState
          error={q.error}
          title="The dashboard could not be loaded"
          onRetry={() => void q.refetch()}
        />
      </>
    );

  const { kpi, returns } = q.data;
  const vendors = q.data.roi_by_vendor.items;
  const { imports, loads } = q.data;
  const attention = q.data.agents.filter((a) => a.failed || a.overdue);
  const flagged = ROI_FLAGS.map((f) => [f, kpi.flagged[f] ?? 0] as const).filter(([, n]) => n > 0);
  const pct = (v: number | null | undefined) => formatPct(v, locale);
  const int = (v: number | null | undefined) => formatInt(v, locale);

  return (
    <>
      {header}
      <dl className="mb-4 grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-7">
        <Kpi label="Products" value={int(kpi.products)} />
        <Kpi label="Vendor offers" value={int(kpi.offers)}>
          <Link to="/roi" search={{ best_only: false }} className="link">
            review all offers
          </Link>
        </Kpi>
        <Kpi label="Vendors" value={int(kpi.vendors)} />
        <Kpi label="ASINs with ROI ≥ 30 %" value={int(kpi.asins_roi_30)}>
          of {int(kpi.asins)} ·{' '}
          <Link to="/roi" search={{ roi_min: 30 }} className="link">
            review them
          </Link>
        </Kpi>
        <Kpi label="Average ROI %" value={pct(kpi.avg_roi)} />
        <Kpi label="Median ROI %" value={pct(kpi.median_roi)} />
        <Kpi label="Flagged offers" value={int(kpi.flagged_offers)}>
          {kpi.flagged_offers > 0 ? (
            <Link to="/roi" search={{ flags: [...ROI_FLAGS], best_only: false }} className="link">
              see why
            </Link>
          ) : (
            'none: every offer has an ROI'
          )}
        </Kpi>
      </dl>

      <div className="grid gap-4 xl:grid-cols-2">
        <Section
          title="ROI by vendor"
          action={<span className="text-xs text-slate-600">top 10 by offers</span>}
        >
          <VendorTable vendors={vendors} />
        </Section>

        <Section title="Flagged offers by reason">
          {flagged.length === 0 ? (
            <p className="text-sm text-slate-600">No offer lacks an input.</p>
          ) : (
            <ul className="space-y-1.5">
              {flagged.map(([f, n]) => (
                <li key={f} className="flex items-center justify-between gap-2 text-sm">
                  <FlagChip flag={f} />
                  <Link to="/roi" search={{ flags: [f], best_only: false }} className="link tabular-nums">
                    {int(n)} offer{n === 1 ? '' : 's'}
                  </Link>
                </li>
              ))}
            </ul>
          )}
          <p className="mt-3 text-xs text-slate-600">
            A flag is an input AWA lacks, so it does not guess: flagged offers have no ROI until the input
            arrives.
          </p>
        </Section>

        <Section
          title="Agents needing attention"
          action={<span className="text-xs text-slate-600">{q.data.agents.length} agents</span>}
        >
          {attention.length === 0 ? (
            <p className="text-sm text-green-800">✓ Every agent ran on schedule and none failed.</p>
          ) : (
            <ul className="divide-y divide-slate-100">
              {attention.map((a) => (
                <AgentLine key={a.name} a={a} />
              ))}
            </ul>
          )}
        </Section>

        <Section
          title="Returns"
          action={
            <span className="text-xs text-slate-600">
              {returns.window.from} – {returns.window.to}
            </span>
          }
        >
          <ReturnsSummary returns={returns} />
        </Section>

        <Section
          title="Last price-list imports"
          action={
            <Link to="/price-lists" className="link text-sm">
              Import a price list
            </Link>
          }
        >
          {imports.length === 0 ? (
            <Empty title="No price list imported yet" />
          ) : (
            <ul className="divide-y divide-slate-100 text-sm">
              {imports.map((i) => (
                <li key={i.id} className="flex flex-wrap items-baseline justify-between gap-x-3 py-1.5">
                  <span className="min-w-0 truncate">
                    <span className="font-medium">{i.vendor ?? '—'}</span>{' '}
                    <span className="text-slate-600">{i.file}</span>
                  </span>
                  <span className="text-slate-700">
                    {int(i.rows)} rows · <Status status={i.status} /> · <RelativeTime value={i.at} />
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Section>

        <Section title="Last report ingests">
          {loads.length === 0 ? (
            <Empty title="No Amazon report ingested yet" />
          ) : (
            <ul className="divide-y divide-slate-100 text-sm">
              {loads.map((l) => (
                <li key={l.id} className="flex flex-wrap items-baseline justify-between gap-x-3 py-1.5">
                  <span className="min-w-0 truncate">
                    <span className="font-medium">{l.type}</span>{' '}
                    <span className="text-slate-600">{l.file ?? ''}</span>
                  </span>
                  <span className="text-slate-700">
                    {int(l.rows)} rows · <Status status={l.status} /> · <RelativeTime value={l.at} />
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Section>
      </div>
    </>
  );
}
