import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import {
  ALERTS_KEY,
  alertsApi,
  type Subscription,
  type SubscriptionBody,
  type SubscriptionChannel,
} from '../../api/alerts.ts';
import { errorFields } from '../../lib/alert-thresholds.ts';
import { InlineError } from '../../ui/states.tsx';
import { TypePicker } from './type-picker.tsx';

const SEVERITY_CHOICES = [
  { value: 'info', label: 'Info and above (everything)' },
  { value: 'warning', label: 'Warning and above' },
  { value: 'critical', label: 'Critical only' },
] as const;

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

function FieldError({ id, text }: { id: string; text: string | undefined }) {
  return text ? (
    <p id={id} className="mt-0.5 text-xs text-red-800">
      <span aria-hidden>✗ </span>
      {text}
    </p>
  ) : null;
}

/** My subscription on one channel: where, from which severity, which types, and quiet hours. */
export function SubscriptionForm({
  channel,
  current,
  email,
}: {
  channel: SubscriptionChannel;
  current: Subscription | undefined;
  email: string | null;
}) {
  const id = useId();
  const queryClient = useQueryClient();
  const [address, setAddress] = useState(current?.address ?? '');
  const [severity, setSeverity] = useState<string>(current?.min_severity ?? 'warning');
  const [types, setTypes] = useState<string[] | null>(current?.task_types ?? null);
  const [quiet, setQuiet] = useState(Boolean(current?.quiet_hours));
  const [start, setStart] = useState(current?.quiet_hours?.start ?? '22:00');
  const [end, setEnd] = useState(current?.quiet_hours?.end ?? '07:00');
  const [zone, setZone] = useState(current?.quiet_hours?.timezone ?? browserZone());
  const [enabled, setEnabled] = useState(current?.enabled ?? true);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ALERTS_KEY });

  const save = useMutation({
    mutationFn: () => {
      const body: SubscriptionBody = {
        min_severity: severity as SubscriptionBody['min_severity'],
        task_types: types as SubscriptionBody['task_types'],
        quiet_hours: quiet ? { start, end, timezone: zone.trim() } : null,
        enabled,
      };
      if (address.trim()) body.address = address.trim();
      return alertsApi.subscribe(channel, body);
    },
    onSuccess: refresh,
  });
  const remove = useMutation({ mutationFn: () => alertsApi.unsubscribe(channel), onSuccess: refresh });
  const bad = errorFields(save.error);
  const named = Object.keys(bad).length > 0;
  const err = (f: string) => (bad[f] ? `${id}-${f}-error` : undefined);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    remove.reset();
    save.mutate();
  };
  const addressLabel = channel === 'telegram' ? 'Telegram chat id' : 'E-mail address';

  return (
    <form
      aria-label={`My ${channel === 'telegram' ? 'Telegram' : 'e-mail'} notifications`}
      onSubmit={submit}
      noValidate
    >
      <div className="grid max-w-4xl gap-3 md:grid-cols-2">
        <div>
          <label htmlFor={`${id}-address`} className="label">
            {addressLabel}
          </label>
          <input
            id={`${id}-address`}
            className="input w-full"
            value={address}
            placeholder={channel === 'email' ? (email ?? 'you@example.com') : '123456789 or @channel'}
            aria-invalid={bad['address'] ? true : undefined}
            aria-describedby={err('address') ?? `${id}-address-hint`}
            onChange={(e) => setAddress(e.target.value)}
          />
          <p id={`${id}-address-hint`} className="mt-0.5 text-xs text-slate-600">
            {channel === 'telegram'
              ? 'Send the bot /start, then ask it for your chat id; the bot checks it can reach you.'
              : 'Empty: your sign-in e-mail.'}
          </p>
          <FieldError id={`${id}-address-error`} text={bad['address']} />
        </div>
        <div>
          <label htmlFor={`${id}-severity`} className="label">
            Minimum severity
          </label>
          <select
            id={`${id}-severity`}
            className="input w-full"
            value={severity}
            onChange={(e) => setSeverity(e.target.value)}
          >
            {SEVERITY_CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <div className="md:col-span-2">
          <TypePicker value={types} onChange={setTypes} />
          <FieldError id={`${id}-types-error`} text={bad['task_types']} />
        </div>
        <fieldset className="md:col-span-2">
          <legend className="label">Quiet hours</legend>
          <label className="flex items-center gap-1.5 text-sm">
            <input type="checkbox" checked={quiet} onChange={(e) => setQuiet(e.target.checked)} />
            Hold warnings and info back during quiet hours (critical alerts always go out)
          </label>
          {quiet ? (
            <div className="mt-1 flex flex-wrap items-start gap-3">
              {(
                [
                  ['start', 'From', start, setStart],
                  ['end', 'Until', end, setEnd],
                ] as const
              ).map(([f, label, value, set]) => (
                <div key={f}>
                  <label htmlFor={`${id}-${f}`} className="label">
                    {label}
                  </label>
                  <input
                    id={`${id}-${f}`}
                    type="time"
                    className="input"
                    value={value}
                    aria-invalid={bad[`quiet_hours.${f}`] ? true : undefined}
                    aria-describedby={err(`quiet_hours.${f}`)}
                    onChange={(e) => set(e.target.value)}
                  />
                  <FieldError id={`${id}-quiet_hours.${f}-error`} text={bad[`quiet_hours.${f}`]} />
                </div>
              ))}
              <div>
                <label htmlFor={`${id}-zone`} className="label">
                  Time zone
                </label>
                <input
                  id={`${id}-zone`}
                  className="input w-48"
                  value={zone}
                  aria-invalid={bad['quiet_hours.timezone'] ? true : undefined}
                  aria-describedby={err('quiet_hours.timezone')}
                  onChange={(e) => setZone(e.target.value)}
                />
                <FieldError id={`${id}-quiet_hours.timezone-error`} text={bad['quiet_hours.timezone']} />
              </div>
            </div>
          ) : null}
        </fieldset>
        <label className="flex items-center gap-1.5 text-sm md:col-span-2">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          Send me notifications on this channel (untick to pause without losing the settings)
        </label>
      </div>
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {current ? 'Save' : 'Subscribe'}
        </button>
        {current ? (
          <button
            type="button"
            className="btn btn-secondary"
            disabled={remove.isPending}
            onClick={() => {
              save.reset();
              remove.mutate();
            }}
          >
            Unsubscribe
          </button>
        ) : null}
        <p role="status" className="text-sm text-green-800">
          {save.isSuccess ? 'Saved.' : remove.isSuccess ? 'Unsubscribed.' : ''}
        </p>
        {save.error && !named ? (
          <div className="basis-full">
            <InlineError error={save.error} />
          </div>
        ) : null}
        {save.error && named ? (
          <p role="alert" className="basis-full text-sm text-red-800">
            Not saved: {save.error instanceof Error ? save.error.message : ''}
          </p>
        ) : null}
        {remove.error ? <InlineError error={remove.error} /> : null}
      </div>
    </form>
  );
}
