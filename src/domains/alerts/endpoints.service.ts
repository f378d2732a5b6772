import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { AppError, invalidField, messageOf } from '../../platform/errors.ts';
import { webhookUrlProblem } from '../../platform/http/url.ts';
import type { Channel, Severity } from './alerts.types.ts';
import { listDeliveries } from './deliveries.repo.ts';
import * as repo from './targets.repo.ts';
import {
  type AlertsDeps,
  channelsOf,
  checkQuiet,
  checkTypes,
  type QuietHours,
  sendTest,
  type TestResult,
} from './targets.service.ts';
import { newSecret } from './webhook.client.ts';

/** Webhook endpoints admins manage, and each person's own subscriptions (SPEC §11). */

export interface Endpoint {
  id: number;
  url: string;
  description: string | null;
  min_severity: Severity;
  task_types: string[] | null;
  origin: 'config' | 'admin';
  enabled: boolean;
  disabled_reason: string | null;
  created_at: string;
}

const endpointOf = (t: repo.TargetRow): Endpoint => ({
  id: t.id,
  url: t.address,
  description: t.description,
  min_severity: t.min_severity,
  task_types: t.task_types,
  origin: t.origin as 'config' | 'admin',
  enabled: t.enabled,
  disabled_reason: t.disabled_reason,
  created_at: (t.created_at ?? new Date(0)).toISOString(),
});

export async function listEndpoints(deps: AlertsDeps): Promise<Endpoint[]> {
  return (await repo.listTargets(deps.db.pool, { channel: 'webhook' }))
    .filter((t) => t.origin !== 'user')
    .map(endpointOf);
}

/** Can something accept a connection at the URL's host and port (TLS handshake for https)? */
async function reachable(raw: string, timeoutMs: number): Promise<string | undefined> {
  const u = new URL(raw);
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket =
      u.protocol === 'https:' ? tlsConnect({ host, port, servername: host }) : tcpConnect({ host, port });
    const done = (problem?: string) => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer from ${host}:${port} within ${timeoutMs / 1000} s`));
    socket.once(u.protocol === 'https:' ? 'secureConnect' : 'connect', () => done());
    socket.once('error', (err) => done(`cannot reach ${host}:${port}: ${messageOf(err)}`));
  });
}

export interface EndpointInput {
  url: string;
  description?: string;
  min_severity?: Severity;
  task_types?: string[] | null;
}

/** Adds an endpoint; the answer carries its signing secret, the only time it is shown. */
export async function createEndpoint(
  deps: AlertsDeps,
  input: EndpointInput,
): Promise<Endpoint & { secret: string }> {
  const problem = webhookUrlProblem(input.url);
  if (problem) throw invalidField('url', input.url, 'webhook_url', problem);
  const unreachable = await reachable(input.url, 3000);
  if (unreachable) throw invalidField('url', input.url, 'reachable', `is unreachable: ${unreachable}`);
  const secret = newSecret();
  const row = await repo.insertTarget(
    deps.db.pool,
    {
      channel: 'webhook',
      address: input.url,
      origin: 'admin',
      owner: '',
      secret,
      description: input.description ?? null,
      min_severity: input.min_severity ?? 'info',
      task_types: checkTypes(input.task_types),
      quiet_start: null,
      quiet_end: null,
      timezone: 'UTC',
      enabled: true,
    },
    deps.clock.now(),
  );
  if (!row)
    throw new AppError('conflict', `url ${input.url} is already an endpoint`, [
      { field: 'url', message: 'taken' },
    ]);
  return { ...endpointOf(row), secret };
}

export async function deleteEndpoint(deps: AlertsDeps, id: number): Promise<void> {
  if (!(await repo.deleteTarget(deps.db.pool, id, 'admin'))) {
    throw new AppError(
      'not_found',
      `no webhook endpoint ${id} managed here (WEBHOOK_URLS ones are changed in the configuration)`,
    );
  }
}

export async function testEndpoint(deps: AlertsDeps, id: number): Promise<TestResult> {
  const [t] = await repo.listTargets(deps.db.pool, { ids: [id], channel: 'webhook' });
  if (!t || t.origin === 'user') throw new AppError('not_found', `no webhook endpoint ${id}`);
  if (!t.enabled) throw new AppError('conflict', `webhook endpoint ${id} is disabled: ${t.disabled_reason}`);
  return sendTest(deps, 'webhook', [id]);
}

export const listRecentDeliveries = (
  deps: AlertsDeps,
  q: { state?: string; limit: number; offset: number },
) => listDeliveries(deps.db.pool, q);

// ---- a person's own subscriptions

/** The variable that sets a channel up; webhooks need none (endpoints are added here). */
const CHANNEL_VARIABLE: Record<Channel, string | null> = {
  telegram: 'TELEGRAM_BOT_TOKEN',
  email: 'SMTP_URL',
  webhook: null,
};

/** Whether each channel can send here, so a person is not asked for an address that goes nowhere. */
export function channelStatus(
  deps: AlertsDeps,
): { channel: Channel; configured: boolean; variable: string | null }[] {
  const channels = channelsOf(deps);
  return (Object.keys(CHANNEL_VARIABLE) as Channel[]).map((channel) => ({
    channel,
    configured: channels.configured(channel),
    variable: CHANNEL_VARIABLE[channel],
  }));
}

export interface Subscription {
  channel: Exclude<Channel, 'webhook'>;
  address: string;
  min_severity: Severity;
  task_types: string[] | null;
  quiet_hours: QuietHours | null;
  enabled: boolean;
  disabled_reason: string | null;
}

const subscriptionOf = (t: repo.TargetRow): Subscription => ({
  channel: t.channel as Subscription['channel'],
  address: t.address,
  min_severity: t.min_severity,
  task_types: t.task_types,
  quiet_hours:
    t.quiet_start && t.quiet_end ? { start: t.quiet_start, end: t.quiet_end, timezone: t.timezone } : null,
  enabled: t.enabled,
  disabled_reason: t.disabled_reason,
});

export async function listSubscriptions(deps: AlertsDeps, owner: string): Promise<Subscription[]> {
  return (await repo.listTargets(deps.db.pool, { origin: 'user', owner })).map(subscriptionOf);
}

export interface SubscriptionInput {
  address?: string;
  min_severity?: Severity;
  task_types?: string[] | null;
  quiet_hours?: QuietHours | null;
  enabled?: boolean;
}

/** Sets my subscription on a channel; the address is checked with the channel (getChat for Telegram). */
export async function setSubscription(
  deps: AlertsDeps,
  owner: string,
  channel: Subscription['channel'],
  input: SubscriptionInput,
): Promise<Subscription> {
  const address = (input.address ?? (channel === 'email' && owner.includes('@') ? owner : '')).trim();
  if (!address) {
    throw invalidField(
      'address',
      input.address ?? null,
      'required',
      channel === 'telegram'
        ? 'is required: your Telegram chat id (send the bot /start, then ask it for the id)'
        : 'is required: an e-mail address',
    );
  }
  if (channel === 'email' && !/^[^@\s,]+@[^@\s,]+$/.test(address))
    throw invalidField('address', address, 'email', 'is not an e-mail address');
  if (channel === 'telegram' && !/^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$/.test(address)) {
    throw invalidField(
      'address',
      address,
      'chat_id',
      'is not a Telegram chat id (a number such as 123456789, or @channelname)',
    );
  }
  const channels = channelsOf(deps);
  if (!channels.configured(channel)) {
    throw invalidField(
      'channel',
      channel,
      'configured',
      `is not set up on this installation (${channel === 'telegram' ? 'TELEGRAM_BOT_TOKEN' : 'SMTP_URL'} is not set)`,
    );
  }
  if (channel === 'telegram') {
    try {
      await channels.telegram!.getChat(address);
    } catch (err) {
      throw invalidField(
        'address',
        address,
        'chat_id',
        `cannot be reached by the bot: ${messageOf(err).replace(/^TELEGRAM_CHAT_ID \S+: /, '')}`,
      );
    }
  }
  const quiet = checkQuiet(input.quiet_hours);
  const row = await repo.upsertUserTarget(
    deps.db.pool,
    {
      channel,
      address,
      origin: 'user',
      owner,
      secret: null,
      description: null,
      min_severity: input.min_severity ?? 'warning',
      task_types: checkTypes(input.task_types),
      quiet_start: quiet?.start ?? null,
      quiet_end: quiet?.end ?? null,
      timezone: quiet?.timezone ?? 'UTC',
      enabled: input.enabled ?? true,
    },
    deps.clock.now(),
  );
  return subscriptionOf(row);
}

export async function deleteSubscription(deps: AlertsDeps, owner: string, channel: Channel): Promise<void> {
  const mine = await repo.listTargets(deps.db.pool, { origin: 'user', owner, channel });
  if (mine.length === 0) throw new AppError('not_found', `you have no ${channel} subscription`);
  for (const t of mine) await repo.deleteTarget(deps.db.pool, t.id, 'user', owner);
}
