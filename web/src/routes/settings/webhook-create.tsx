import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { ALERTS_KEY, alertsApi, type CreatedWebhook, type NewWebhookBody } from '../../api/alerts.ts';
import { errorFields } from '../../lib/alert-thresholds.ts';
import { InlineError } from '../../ui/states.tsx';
import { SecretOnce } from '../../ui/team-secret.tsx';
import { TypePicker } from './type-picker.tsx';

/** Adds an endpoint (the server checks it is reachable) and shows its signing secret this once. */
export function WebhookCreate() {
  const id = useId();
  const queryClient = useQueryClient();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [severity, setSeverity] = useState<NewWebhookBody['min_severity']>('warning');
  const [types, setTypes] = useState<string[] | null>(null);
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  const create = useMutation({
    mutationFn: () =>
      alertsApi.createWebhook({
        url: url.trim(),
        min_severity: severity,
        task_types: types as NewWebhookBody['task_types'],
        ...(description.trim() ? { description: description.trim() } : {}),
      }),
    onSuccess: (r) => {
      setCreated(r);
      setUrl('');
      setDescription('');
      setTypes(null);
      void queryClient.invalidateQueries({ queryKey: ALERTS_KEY });
    },
  });
  const bad = errorFields(create.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setCreated(null);
    create.mutate();
  };
  return (
    <>
      <form aria-label="Add a webhook endpoint" onSubmit={submit} noValidate className="mb-3">
        <div className="flex flex-wrap items-start gap-3">
          <div className="min-w-72 flex-1">
            <label htmlFor={`${id}-url`} className="label">
              URL
            </label>
            <input
              id={`${id}-url`}
              className="input w-full font-mono"
              value={url}
              placeholder="https://hooks.example.com/awa"
              aria-invalid={bad['url'] ? true : undefined}
              aria-describedby={bad['url'] ? `${id}-url-error` : `${id}-url-hint`}
              onChange={(e) => setUrl(e.target.value)}
            />
            {bad['url'] ? (
              <p id={`${id}-url-error`} className="mt-0.5 text-xs text-red-800">
                <span aria-hidden>✗ </span>
                {create.error instanceof Error ? create.error.message : bad['url']}
              </p>
            ) : (
              <p id={`${id}-url-hint`} className="mt-0.5 text-xs text-slate-600">
                https:// (plain http only on this machine); it must accept a connection now.
              </p>
            )}
          </div>
          <div>
            <label htmlFor={`${id}-desc`} className="label">
              Description (optional)
            </label>
            <input
              id={`${id}-desc`}
              className="input w-56"
              maxLength={200}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
            />
          </div>
          <div>
            <label htmlFor={`${id}-sev`} className="label">
              Minimum severity
            </label>
            <select
              id={`${id}-sev`}
              className="input"
              value={severity}
              onChange={(e) => setSeverity(e.target.value as NewWebhookBody['min_severity'])}
            >
              <option value="info">info</option>
              <option value="warning">warning</option>
              <option value="critical">critical</option>
            </select>
          </div>
        </div>
        <div className="mt-2">
          <TypePicker value={types} onChange={setTypes} />
        </div>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <button
            type="submit"
            className="btn btn-primary"
            disabled={create.isPending || url.trim().length < 8}
          >
            {create.isPending ? 'Checking the URL…' : 'Add endpoint'}
          </button>
          {create.error && !bad['url'] ? <InlineError error={create.error} /> : null}
        </div>
      </form>
      {created ? (
        <SecretOnce
          title={`Signing secret for ${created.url}`}
          secret={created.secret}
          onDone={() => setCreated(null)}
        >
          Verify each request's <code className="font-mono">webhook-signature</code> with it (Standard
          Webhooks).
        </SecretOnce>
      ) : null}
    </>
  );
}
