import { useQuery } from '@tanstack/react-query';
import { type Delivery, deliveriesQuery } from '../../api/alerts.ts';
import { type DataColumn, DataTable } from '../../ui/data-table.tsx';
import { RelativeTime } from '../../ui/relative-time.tsx';
import { Empty, ErrorState, Loading } from '../../ui/states.tsx';

const STATE_STYLE: Record<Delivery['state'], string> = {
  delivered: 'text-green-800',
  failed: 'text-red-800',
  pending: 'text-slate-700',
  sending: 'text-slate-700',
};
const STATE_WORD: Record<Delivery['state'], string> = {
  delivered: '✓ delivered',
  failed: '✗ failed',
  pending: '… pending',
  sending: '… sending',
};

const columns: DataColumn<Delivery>[] = [
  { id: 'at', header: 'Made', cell: (d) => <RelativeTime value={d.created_at} /> },
  { id: 'channel', header: 'Channel', cell: (d) => d.channel },
  { id: 'kind', header: 'Kind', cell: (d) => d.kind },
  { id: 'severity', header: 'Severity', cell: (d) => d.severity },
  { id: 'alerts', header: 'Alerts', numeric: true, cell: (d) => d.alerts },
  {
    id: 'state',
    header: 'State',
    cell: (d) => (
      <span className={STATE_STYLE[d.state]}>
        {STATE_WORD[d.state]}
        {d.uncertain ? ' (may have gone twice)' : ''}
      </span>
    ),
  },
  { id: 'attempts', header: 'Attempts', numeric: true, cell: (d) => d.attempts },
  {
    id: 'error',
    header: 'Last error',
    cell: (d) => <span className="block max-w-lg min-w-48 whitespace-normal">{d.last_error ?? ''}</span>,
  },
];

/** The last 20 notification messages on every channel, newest first, and how their delivery went. */
export function Deliveries() {
  const q = useQuery(deliveriesQuery);
  return (
    <div className="mt-4">
      <h3 className="mb-1 text-sm font-semibold text-slate-800">Recent deliveries</h3>
      {q.isPending ? (
        <Loading label="Loading deliveries…" />
      ) : q.error ? (
        <ErrorState
          error={q.error}
          title="The deliveries could not be loaded"
          onRetry={() => void q.refetch()}
        />
      ) : (
        <>
          <DataTable
            columns={columns}
            rows={q.data.items}
            rowKey={(d) => String(d.id)}
            caption="Recent notification deliveries"
            maxHeight="20rem"
            empty={<Empty title="No messages yet">Messages appear here as alerts and tests are sent.</Empty>}
          />
          {q.data.total > q.data.items.length ? (
            <p className="mt-1 text-xs text-slate-600">
              The newest {q.data.items.length} of {q.data.total}; GET /api/v1/alerts/deliveries pages through
              all.
            </p>
          ) : null}
        </>
      )}
    </div>
  );
}
