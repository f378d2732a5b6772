import { performance } from 'node:perf_hooks';
import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { Logger } from '../../platform/logger.ts';
import { CHANNELS, type Channel } from './alerts.types.ts';
import { type Channels, configTargets } from './channels.ts';
import { type Sent, startDue } from './deliver.service.ts';
import { makeMessages, route } from './outbox.service.ts';
import { policyOf } from './policy.ts';
import { checkSystem } from './system.service.ts';
import { syncConfigTargets } from './targets.repo.ts';

/**
 * The dispatcher: one loop that routes the outbox, makes due messages and sends them, woken by the
 * outbox trigger's NOTIFY (on commit) and otherwise every half second, so a critical alert leaves
 * within group_wait plus a fraction of a second.
 */

export interface DispatchDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  config: Config;
  channels: Channels;
  worker: string;
}

export interface DispatchCounts {
  routed: number;
  items: number;
  messages: number;
  repeats: number;
  delivered: number;
  failed: number;
  retrying: number;
  system: number;
}

const POLL_MS = 500;
// repeats and system checks look at history: once a minute is plenty
const SLOW_CHECK_MS = 60_000;
// messages sent at once (different targets); each target still gets one at a time
const MAX_IN_FLIGHT = 64;

export interface DispatchOptions {
  /** Stop after this long (real time); the in-flight messages are finished first. */
  seconds: number;
  /** Stop as soon as nothing is left to do now (the CLI's one-off run, tests). */
  drain?: boolean;
  signal?: AbortSignal;
}

export async function dispatch(
  deps: DispatchDeps,
  opts: DispatchOptions,
): Promise<{ counts: DispatchCounts; problems: Partial<Record<Channel, string>> }> {
  const { db, clock, config, channels } = deps;
  await syncConfigTargets(db.pool, configTargets(config), clock.now());
  const problems = await channels.check();
  for (const [ch, why] of Object.entries(problems))
    deps.log.error({ channel: ch, error: why }, 'channel not usable');
  // a channel that fails its check is not sent to: its messages wait instead of failing for good
  const usable = CHANNELS.filter((ch) => channels.configured(ch) && !problems[ch]);
  const policy = policyOf(config);
  const odeps = { db, clock, policy };
  const counts: DispatchCounts = {
    routed: 0,
    items: 0,
    messages: 0,
    repeats: 0,
    delivered: 0,
    failed: 0,
    retrying: 0,
    system: 0,
  };
  const inFlight = new Map<number, Promise<Sent>>();
  const tally = (s: Sent) => {
    counts[s.status === 'delivered' ? 'delivered' : s.status === 'failed' ? 'failed' : 'retrying']++;
  };

  let wake: (() => void) | undefined;
  const listener = await db.pool.connect();
  const onNotify = () => wake?.();
  listener.on('notification', onNotify);
  await listener.query('LISTEN awa_notifications');
  const deadline = performance.now() + opts.seconds * 1000;
  let lastSlow = -Infinity;
  try {
    while (!opts.signal?.aborted && performance.now() < deadline) {
      const slow = performance.now() - lastSlow >= SLOW_CHECK_MS;
      if (slow) {
        lastSlow = performance.now();
        counts.system += await checkSystem({ db, clock, backlogThreshold: config.ALERT_QUEUE_BACKLOG });
      }
      const r = await route(odeps);
      counts.routed += r.notifications;
      counts.items += r.items;
      const m = await makeMessages(odeps, { repeats: slow });
      counts.messages += m.messages;
      counts.repeats += m.repeats;
      const started = await startDue({ db, clock, log: deps.log, channels, worker: deps.worker }, inFlight, {
        channels: usable,
        max: MAX_IN_FLIGHT,
      });
      for (const p of started) void p.then(tally);
      if (opts.drain && r.notifications === 0 && m.messages === 0 && started.length === 0) {
        if (inFlight.size === 0) break;
        await Promise.race(inFlight.values());
        continue;
      }
      // more may be waiting behind a full batch: go again at once
      if (r.notifications > 0 && started.length > 0) continue;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, POLL_MS);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wake = undefined;
    }
    await Promise.all(inFlight.values());
  } finally {
    listener.off('notification', onNotify);
    await listener.query('UNLISTEN *').catch(() => {});
    listener.release();
  }
  return { counts, problems };
}
