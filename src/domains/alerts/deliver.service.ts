import { hostname } from 'node:os';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import { messageOf } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Channel, Delivery, SendOutcome, Target } from './alerts.types.ts';
import type { Channels } from './channels.ts';
import * as repo from './deliveries.repo.ts';
import { disableTarget, listTargets } from './targets.repo.ts';

/**
 * Sending messages, with a lease per message: taken (and committed) before anything is sent, renewed
 * while a long message goes out part by part, and given up when the worker dies, after which another
 * worker takes the message over from the first part not known to be accepted.
 */

export interface DeliverDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  channels: Channels;
  /** Who holds leases: unique per process. */
  worker: string;
}

export const LEASE_S = 30;
const HEARTBEAT_MS = 10_000;
// Standard Webhooks' suggested schedule after the first attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h
const WEBHOOK_SCHEDULE_S = [5, 300, 1800, 7200, 18_000, 36_000, 36_000];
const MAX_ATTEMPTS = 10;

export const newWorkerId = () => `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;

/** Seconds until the next attempt after `attempts` failed ones; undefined: give up. */
export function retryDelayS(channel: Channel, attempts: number): number | undefined {
  if (channel === 'webhook') return WEBHOOK_SCHEDULE_S[attempts - 1];
  if (attempts >= MAX_ATTEMPTS) return undefined;
  // 10 s, 20 s, 40 s … capped at an hour: Telegram or the mail server being down for a while
  return Math.min(3600, 10 * 2 ** (attempts - 1));
}

export interface Sent {
  id: number;
  target_id: number;
  status: 'delivered' | 'failed' | 'retrying';
  attempts: number;
  error?: string;
}

/** Sends one claimed message from its first unsent part; `final`: a failure is not retried. */
export async function deliverOne(
  deps: DeliverDeps,
  target: Target,
  d: Delivery,
  final = false,
): Promise<Sent> {
  const { db, clock, worker } = deps;
  const pool = db.pool;
  const heartbeat = setInterval(() => {
    void repo.renewLease(pool, d.id, worker, clock.now(), LEASE_S).catch(() => {});
  }, HEARTBEAT_MS);
  heartbeat.unref();
  const base = { id: d.id, target_id: target.id, attempts: d.attempts };
  let outcome: SendOutcome = { ok: true };
  try {
    const parts = deps.channels.partsOf(target, d);
    for (let part = d.parts_done; part < parts; part++) {
      await deps.channels.waitTurn(target);
      // written before the send: if we die now, the next worker knows this part's fate is unknown
      if (!(await repo.beginPart(pool, d.id, worker, part, clock.now(), LEASE_S))) {
        return { ...base, status: 'retrying', error: 'lease lost to another worker' };
      }
      const repeated = d.uncertain && part === d.parts_done;
      outcome = await deps.channels
        .send(target, d, part, repeated)
        .catch((err): SendOutcome => ({ ok: false, permanent: false, error: messageOf(err) }));
      if (!outcome.ok) break;
      await repo.partDone(pool, d.id, worker, part);
    }
  } finally {
    clearInterval(heartbeat);
  }
  const now = clock.now();
  if (outcome.ok) {
    await repo.markDelivered(pool, d.id, worker, now);
    return { ...base, status: 'delivered' };
  }
  if (outcome.disable) {
    await disableTarget(pool, target.id, outcome.disable, now);
    deps.log.warn(
      { target: target.id, channel: target.channel, reason: outcome.disable },
      'notification target disabled',
    );
  }
  const delay = outcome.permanent || final ? undefined : retryDelayS(target.channel, d.attempts);
  const retryAt =
    outcome.retryAt ?? (delay === undefined ? undefined : new Date(now.getTime() + delay * 1000));
  await repo.markFailed(pool, d.id, worker, outcome.error, outcome.permanent || final ? undefined : retryAt);
  const status = retryAt && !outcome.permanent && !final ? 'retrying' : 'failed';
  deps.log[status === 'failed' ? 'error' : 'warn'](
    {
      delivery: d.id,
      target: target.id,
      channel: target.channel,
      attempts: d.attempts,
      error: outcome.error,
    },
    status === 'failed' ? 'notification failed for good' : 'notification will be retried',
  );
  return { ...base, status, error: outcome.error };
}

/**
 * Claims what is due and starts sending it without waiting: one message per target at a time, many
 * targets at once (so a long Telegram message to one chat does not hold up the others). `inFlight`
 * tracks what this process is sending; the caller awaits it before it stops.
 */
export async function startDue(
  deps: DeliverDeps,
  inFlight: Map<number, Promise<Sent>>,
  opts: { channels: Channel[]; max: number },
): Promise<Promise<Sent>[]> {
  const room = opts.max - inFlight.size;
  if (room <= 0 || opts.channels.length === 0) return [];
  const claimed = await repo.claim(deps.db.pool, {
    now: deps.clock.now(),
    worker: deps.worker,
    leaseS: LEASE_S,
    limit: room,
    channels: opts.channels,
  });
  if (claimed.length === 0) return [];
  const targets = new Map(
    (await listTargets(deps.db.pool, { ids: claimed.map((d) => d.target_id) })).map((t) => [t.id, t]),
  );
  return claimed.map((d) => {
    const p = deliverOne(deps, targets.get(d.target_id)!, d)
      .catch((err): Sent => {
        deps.log.error({ err: messageOf(err), delivery: d.id }, 'delivery broke off; its lease will run out');
        return {
          id: d.id,
          target_id: d.target_id,
          status: 'retrying',
          attempts: d.attempts,
          error: messageOf(err),
        };
      })
      .finally(() => inFlight.delete(d.id));
    inFlight.set(d.id, p);
    return p;
  });
}

/**
 * Sends these messages now (a test message): up to `attempts` tries a second apart, the last one
 * final, so the caller learns the outcome instead of a retry scheduled for later.
 */
export async function deliverNow(deps: DeliverDeps, ids: number[], attempts = 3): Promise<Sent[]> {
  const done = new Map<number, Sent>();
  const open = () => ids.filter((id) => (done.get(id)?.status ?? 'retrying') === 'retrying');
  for (let i = 1; i <= attempts + 2 && open().length > 0; i++) {
    if (i > 1) await new Promise((r) => setTimeout(r, 1000));
    const claimed = await repo.claim(deps.db.pool, {
      now: deps.clock.now(),
      now_ok: true, // the person's "send it now" overrides the retry schedule
      worker: deps.worker,
      leaseS: LEASE_S,
      limit: ids.length,
      ids: open(),
    });
    const targets = new Map(
      (await listTargets(deps.db.pool, { ids: claimed.map((d) => d.target_id) })).map((t) => [t.id, t]),
    );
    const sent = await Promise.all(
      claimed.map((d) => deliverOne(deps, targets.get(d.target_id)!, d, d.attempts >= attempts)),
    );
    for (const s of sent) done.set(s.id, s);
  }
  return ids.map(
    (id) => done.get(id) ?? { id, target_id: 0, status: 'failed', attempts: 0, error: 'not sent' },
  );
}
