import { useQuery } from '@tanstack/react-query';
import {
  type ChannelStatus,
  channelsQuery,
  type Subscription,
  subscriptionsQuery,
} from '../../api/alerts.ts';
import { useMe } from '../../api/session.ts';
import { Section } from '../../ui/section.tsx';
import { ErrorState, Loading } from '../../ui/states.tsx';
import { SubscriptionForm } from './subscription-form.tsx';

const TITLES = { telegram: 'Telegram', email: 'E-mail', webhook: 'Webhooks' } as const;

function Status({ status, mine }: { status: ChannelStatus; mine: Subscription | undefined }) {
  const ready = status.configured;
  return (
    <p className="flex flex-wrap items-center gap-2 text-sm">
      <span
        className={`rounded border px-1.5 py-0.5 text-xs ${
          ready
            ? 'border-green-300 bg-green-50 text-green-900'
            : 'border-slate-300 bg-slate-100 text-slate-800'
        }`}
      >
        {ready ? '✓ set up on this server' : '– not set up on this server'}
      </span>
      {mine ? (
        <span className="text-slate-700">
          {mine.enabled ? 'You are subscribed' : 'Your subscription is paused'} ({mine.address})
          {mine.disabled_reason ? (
            <span className="ml-1 text-red-800">
              <span aria-hidden>⚠ </span>stopped: {mine.disabled_reason}
            </span>
          ) : null}
        </span>
      ) : status.channel !== 'webhook' ? (
        <span className="text-slate-700">You are not subscribed</span>
      ) : null}
    </p>
  );
}

/**
 * My own notifications, for everyone: per channel whether the server can send on it at all, and my
 * subscription (minimum severity, task types, quiet hours). Webhooks are endpoints an admin adds.
 */
export function MyNotifications({ isAdmin }: { isAdmin: boolean }) {
  const me = useMe();
  const channels = useQuery(channelsQuery);
  const mine = useQuery(subscriptionsQuery);
  const error = channels.error ?? mine.error;
  return (
    <Section
      id="notifications"
      title="My notifications"
      description="Task events (raised, escalated, resolved) and system alerts sent to you, from the severity you choose. Changes apply to the next message."
    >
      {channels.isPending || mine.isPending ? (
        <Loading label="Loading your notifications…" />
      ) : error ? (
        <ErrorState
          error={error}
          title="Your notifications could not be loaded"
          onRetry={() => {
            void channels.refetch();
            void mine.refetch();
          }}
        />
      ) : (
        <div className="divide-y divide-slate-200">
          {channels.data!.map((status) => {
            const sub = mine.data!.find((s) => s.channel === status.channel);
            return (
              <div key={status.channel} className="py-3 first:pt-1" data-channel={status.channel}>
                <h3 className="mb-1 font-semibold">{TITLES[status.channel]}</h3>
                <Status status={status} mine={sub} />
                {status.channel === 'webhook' ? (
                  <p className="mt-1 text-sm text-slate-700">
                    Webhooks go to systems, not people:{' '}
                    {isAdmin ? 'add them under ' : 'an admin adds them under '}
                    {isAdmin ? (
                      <a className="link" href="#webhooks">
                        Webhook endpoints
                      </a>
                    ) : (
                      '“Webhook endpoints”'
                    )}
                    .
                  </p>
                ) : status.configured || sub ? (
                  <div className="mt-2">
                    <SubscriptionForm
                      key={`${status.channel}-${sub ? 'on' : 'off'}`}
                      channel={status.channel}
                      current={sub}
                      email={me.email}
                    />
                  </div>
                ) : (
                  <p className="mt-1 text-sm text-slate-700">
                    AWA cannot send {status.channel === 'email' ? 'e-mail' : 'Telegram messages'} here until
                    an admin sets <code className="font-mono">{status.variable}</code> and restarts AWA.
                  </p>
                )}
              </div>
            );
          })}
        </div>
      )}
    </Section>
  );
}
