import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import {
  ALERTS_KEY,
  alertsApi,
  type WebhookEndpoint,
  type WebhookTest,
  webhooksQuery,
} from '../../api/alerts.ts';
import { ConfirmDialog } from '../../ui/confirm-dialog.tsx';
import { type DataColumn, DataTable } from '../../ui/data-table.tsx';
import { RelativeTime } from '../../ui/relative-time.tsx';
import { Section } from '../../ui/section.tsx';
import { Empty, ErrorState, InlineError, Loading } from '../../ui/states.tsx';
import { typeWords } from '../inbox/words.ts';
import { Deliveries } from './deliveries.tsx';
import { WebhookCreate } from './webhook-create.tsx';

type Tested = { id: number; result?: WebhookTest; error?: unknown };

function State({ e }: { e: WebhookEndpoint }) {
  if (e.enabled) return <span className="text-green-800">✓ enabled</span>;
  return (
    <span
      className="rounded border border-red-300 bg-red-50 px-1.5 py-0.5 text-xs text-red-900"
      data-testid="disabled"
    >
      ⚠ disabled{e.disabled_reason ? `: ${e.disabled_reason}` : ''}
    </span>
  );
}

function TestOutcome({ t }: { t: Tested }) {
  if (t.error) return <InlineError error={t.error} />;
  if (!t.result) return null;
  const ok = t.result.status === 'delivered';
  return (
    <p role="status" className={`mt-1 text-xs ${ok ? 'text-green-800' : 'text-red-800'}`}>
      {ok
        ? '✓ Test delivered'
        : `✗ Test failed: ${t.result.error ?? t.result.targets[0]?.error ?? 'no answer'}`}
      {` (${t.result.attempts} attempt${t.result.attempts === 1 ? '' : 's'})`}
    </p>
  );
}

/**
 * Webhook endpoints (admin): the ones from WEBHOOK_URLS (read-only here) and the ones added here,
 * with a signed test send, removal, and the recent deliveries. An endpoint that answered 410 Gone is
 * disabled and flagged.
 */
export function Webhooks() {
  const queryClient = useQueryClient();
  const list = useQuery(webhooksQuery);
  const [tested, setTested] = useState<Tested | null>(null);
  const [removing, setRemoving] = useState<WebhookEndpoint | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ALERTS_KEY });
  const test = useMutation({
    mutationFn: (e: WebhookEndpoint) => alertsApi.testWebhook(e.id),
    onMutate: (e) => setTested({ id: e.id }),
    onSuccess: (result, e) => setTested({ id: e.id, result }),
    onError: (error, e) => setTested({ id: e.id, error }),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: (e: WebhookEndpoint) => alertsApi.deleteWebhook(e.id),
    onSuccess: () => {
      setRemoving(null);
      refresh();
    },
  });

  const columns: DataColumn<WebhookEndpoint>[] = [
    {
      id: 'url',
      header: 'Endpoint',
      cell: (e) => (
        <div className="max-w-md min-w-64 whitespace-normal">
          <div className="font-mono text-xs break-all">{e.url}</div>
          {e.description ? <div className="text-xs text-slate-600">{e.description}</div> : null}
          {tested?.id === e.id ? <TestOutcome t={tested} /> : null}
        </div>
      ),
    },
    { id: 'severity', header: 'From severity', cell: (e) => e.min_severity },
    {
      id: 'types',
      header: 'Task types',
      cell: (e) => (e.task_types ? e.task_types.map(typeWords).join(', ') : 'every type'),
    },
    { id: 'origin', header: 'Added', cell: (e) => (e.origin === 'config' ? 'WEBHOOK_URLS' : 'here') },
    { id: 'state', header: 'State', cell: (e) => <State e={e} /> },
    { id: 'created', header: 'Since', cell: (e) => <RelativeTime value={e.created_at} /> },
    {
      id: 'actions',
      header: 'Actions',
      cell: (e) => (
        <div className="flex flex-wrap gap-1">
          <button
            type="button"
            className="btn btn-secondary py-0.5"
            disabled={!e.enabled || (test.isPending && tested?.id === e.id)}
            onClick={() => test.mutate(e)}
          >
            {test.isPending && tested?.id === e.id ? 'Sending…' : 'Send test'}
            <span className="sr-only"> to {e.url}</span>
          </button>
          {e.origin === 'admin' ? (
            <button type="button" className="btn btn-secondary py-0.5" onClick={() => setRemoving(e)}>
              Remove<span className="sr-only"> {e.url}</span>
            </button>
          ) : null}
        </div>
      ),
    },
  ];

  return (
    <Section
      id="webhooks"
      title="Webhook endpoints"
      description="Signed JSON messages (Standard Webhooks) for other systems. An endpoint that answers 410 Gone is disabled; add it again to resume."
    >
      <WebhookCreate />
      {list.isPending ? (
        <Loading label="Loading webhook endpoints…" />
      ) : list.error ? (
        <ErrorState
          error={list.error}
          title="The webhook endpoints could not be loaded"
          onRetry={() => void list.refetch()}
        />
      ) : (
        <DataTable
          columns={columns}
          rows={list.data}
          rowKey={(e) => String(e.id)}
          caption="Webhook endpoints"
          empty={
            <Empty title="No webhook endpoints">
              Add one above, or list URLs in <code className="font-mono">WEBHOOK_URLS</code>.
            </Empty>
          }
        />
      )}
      <Deliveries />
      <ConfirmDialog
        open={Boolean(removing)}
        onOpenChange={(o) => !o && setRemoving(null)}
        title="Remove webhook endpoint"
        confirmLabel="Remove"
        danger
        busy={remove.isPending}
        error={remove.error}
        onConfirm={() => removing && remove.mutate(removing)}
      >
        <p>
          <span className="font-mono break-all">{removing?.url}</span> gets no more messages, and its delivery
          history is removed.
        </p>
      </ConfirmDialog>
    </Section>
  );
}
