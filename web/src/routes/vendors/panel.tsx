import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useLocale } from '../../api/session.ts';
import { vendorsQuery } from '../../api/vendors.ts';
import { DASH, formatInt } from '../../lib/format.ts';
import { RelativeTime } from '../../ui/relative-time.tsx';
import { PanelRow, SidePanel, SidePanelHeader } from '../../ui/side-panel.tsx';
import { InlineError, Loading } from '../../ui/states.tsx';
import { OpenTasks } from '../../ui/tasks.tsx';

/** One vendor beside the table: its settings, its price lists, and the inbox's open tasks about it. */
export function VendorPanel({ id, onClose }: { id: number | null; onClose: () => void }) {
  return (
    <SidePanel open={id !== null} onClose={onClose}>
      {id !== null ? <VendorDetail id={id} /> : null}
    </SidePanel>
  );
}

function VendorDetail({ id }: { id: number }) {
  const locale = useLocale();
  const vendors = useQuery(vendorsQuery);
  const v = vendors.data?.items.find((x) => x.id === id);
  const notSet = <span className="text-slate-600">not set</span>;
  return (
    <>
      <SidePanelHeader
        title={v?.name ?? `Vendor #${id}`}
        description={v ? [v.country, v.currency].filter(Boolean).join(' · ') || 'Vendor' : 'Vendor'}
        closeLabel="Close the vendor"
      />
      {vendors.isPending ? <Loading label="Loading the vendor…" /> : null}
      {vendors.error ? <InlineError error={vendors.error} /> : null}
      {v ? (
        <dl className="text-sm">
          <PanelRow label="Lead time days" value={v.lead_time_days ?? notSet} />
          <PanelRow label="MOQ units" value={v.moq ?? notSet} />
          <PanelRow label="Prices" value={formatInt(v.offers, locale)} />
          <PanelRow
            label="Last price list"
            note={v.last_price_list_file ?? undefined}
            value={v.last_import_at ? <RelativeTime value={v.last_import_at} /> : DASH}
          />
        </dl>
      ) : null}
      <p className="mt-2 text-sm">
        <Link to="/price-lists" search={{ vendor: id }} className="link">
          Price lists and prices
        </Link>
      </p>
      <h3 className="mt-4 mb-1 text-sm font-semibold text-slate-800">Open tasks</h3>
      <OpenTasks vendor={id} what="this vendor" />
    </>
  );
}
