import type { Redis } from 'ioredis';
import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/pool.ts';
import { AppError, invalidField } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Metrics } from '../../platform/metrics.ts';
import { ALERT_TYPES, type Channel, type Severity } from './alerts.types.ts';
import { type Channels, configTargets, createChannels } from './channels.ts';
import { deliverNow, newWorkerId } from './deliver.service.ts';
import { insertDelivery, waitingCounts } from './deliveries.repo.ts';
import { renderTest } from './render.ts';
import * as repo from './targets.repo.ts';

/** What every alerts service takes; the channels are built on first use when not given. */
export interface AlertsDeps {
  db: Db;
  clock: Clock;
  config: Config;
  log: Logger;
  redis?: Redis;
  metrics?: Metrics;
  channels?: Channels;
}

export const channelsOf = (deps: AlertsDeps): Channels =>
  deps.channels ??
  createChannels({
    config: deps.config,
    clock: deps.clock,
    log: deps.log,
    redis: deps.redis,
    metrics: deps.metrics,
  });

export interface TestResult {
  channel: Channel;
  status: 'delivered' | 'failed';
  attempts: number;
  error?: string;
  targets: { id: number; address: string; status: string; attempts: number; error?: string }[];
}

const VAR: Record<Channel, string> = {
  telegram: 'TELEGRAM_BOT_TOKEN',
  email: 'SMTP_URL',
  webhook: 'WEBHOOK_URLS',
};

/**
 * Sends one test message to every enabled target of a channel (or to the given ones) through the
 * same outbox and delivery path as alerts, and reports how it went.
 */
export async function sendTest(
  deps: AlertsDeps,
  channel: Channel,
  targetIds?: number[],
): Promise<TestResult> {
  const channels = channelsOf(deps);
  try {
    if (!channels.configured(channel)) {
      throw new AppError('config', `${channel} is not configured: set ${VAR[channel]}`);
    }
    await repo.syncConfigTargets(deps.db.pool, configTargets(deps.config), deps.clock.now());
    const targets = (await repo.listTargets(deps.db.pool, { channel, enabled: true, ids: targetIds })).filter(
      (t) => targetIds || t.origin !== 'user',
    );
    if (targets.length === 0) {
      throw new AppError(
        'config',
        `no ${channel} destination: set ${channel === 'email' ? 'ALERT_EMAIL_TO' : channel === 'telegram' ? 'TELEGRAM_CHAT_ID' : 'WEBHOOK_URLS or add an endpoint'}`,
      );
    }
    const problem = (await channels.check())[channel];
    if (problem) return { channel, status: 'failed', attempts: 0, error: problem, targets: [] };
    const now = deps.clock.now();
    const ids: number[] = [];
    for (const t of targets) {
      const key = `msg_test_${t.id}_${now.getTime()}_${Math.random().toString(36).slice(2, 8)}`;
      ids.push(
        await insertDelivery(deps.db.pool, {
          key,
          targetId: t.id,
          groupKey: 'test',
          kind: 'test',
          severity: 'info',
          payload: renderTest(now),
          now,
        }),
      );
    }
    const sent = await deliverNow(
      { db: deps.db, clock: deps.clock, log: deps.log, channels, worker: newWorkerId() },
      ids,
    );
    const byTarget = new Map(targets.map((t) => [t.id, t.address]));
    const failed = sent.find((s) => s.status !== 'delivered');
    return {
      channel,
      status: failed ? 'failed' : 'delivered',
      attempts: Math.max(...sent.map((s) => s.attempts)),
      ...(failed ? { error: failed.error ?? failed.status } : {}),
      targets: sent.map((s) => ({
        id: s.target_id,
        address: byTarget.get(s.target_id) ?? '',
        status: s.status,
        attempts: s.attempts,
        ...(s.error ? { error: s.error } : {}),
      })),
    };
  } finally {
    if (!deps.channels) channels.close();
  }
}

/** What the dispatcher has waiting (its dry run). */
export const pendingCounts = (deps: { db: Db }) => waitingCounts(deps.db.pool);

// ---- validation shared by the webhook and subscription services

export function checkTypes(types: string[] | null | undefined): string[] | null {
  if (!types) return null;
  const bad = types.find((t) => !ALERT_TYPES.includes(t));
  if (bad !== undefined)
    throw invalidField('task_types', bad, 'enum', `${bad} is not one of ${ALERT_TYPES.join(', ')}`);
  return [...new Set(types)];
}

export interface QuietHours {
  start: string;
  end: string;
  timezone: string;
}

export function checkQuiet(q: QuietHours | null | undefined): QuietHours | null {
  if (!q) return null;
  for (const f of ['start', 'end'] as const) {
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(q[f]))
      throw invalidField(`quiet_hours.${f}`, q[f], 'time', 'must be HH:MM (00:00-23:59)');
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: q.timezone });
  } catch {
    throw invalidField(
      'quiet_hours.timezone',
      q.timezone,
      'timezone',
      'is not an IANA time zone such as Europe/Berlin',
    );
  }
  if (q.start === q.end) throw invalidField('quiet_hours.end', q.end, 'range', 'must differ from start');
  return q;
}

export const severityOr = (s: Severity | undefined, d: Severity): Severity => s ?? d;
