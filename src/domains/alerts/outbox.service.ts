import { randomUUID } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import type { Alert, Severity, Target } from './alerts.types.ts';
import { insertDelivery } from './deliveries.repo.ts';
import * as repo from './outbox.repo.ts';
import {
  flushAt,
  groupKey,
  isDigest,
  notBefore,
  type Policy,
  severityOfGroup,
  timersOf,
  wants,
} from './policy.ts';
import { renderAlerts } from './render.ts';
import { listTargets } from './targets.repo.ts';

/**
 * From the outbox to messages, in two set-based steps that each commit on their own:
 * route() fans new notifications out to the targets that want them (items, keyed per notification
 * and target), makeMessages() turns the items of groups whose timers are due into messages.
 */

export interface OutboxDeps {
  db: Db;
  clock: Clock;
  policy: Policy;
}

// per routing transaction: 1,000 tasks created at once are one pass
const ROUTE_BATCH = 5000;
// alerts in one message; a larger group sends the rest at its next interval
export const MESSAGE_MAX_ALERTS = 2000;

/** Fans unrouted notifications out; returns how many notifications and items it wrote. */
export async function route(deps: OutboxDeps): Promise<{ notifications: number; items: number }> {
  return withTransaction(deps.db, async (c) => {
    const rows = await repo.takeUnrouted(c, ROUTE_BATCH);
    if (rows.length === 0) return { notifications: 0, items: 0 };
    const targets = await listTargets(c, { enabled: true });
    const resolvedKeys = [...new Set(rows.filter((r) => r.event === 'resolved').map((r) => r.alert_key))];
    const told = await repo.toldTargets(c, resolvedKeys);
    const items: repo.NewItem[] = [];
    for (const row of rows) {
      if (row.event === 'muted' || row.event === 'unmuted') continue; // only repeats read these
      const a = row as Alert;
      for (const t of targets) {
        const k = `${a.alert_key}#${t.id}`;
        if (!wants(t, a, told.has(k))) continue;
        if (a.event !== 'resolved') told.add(k); // a resolve later in this batch closes this loop
        items.push({
          notificationId: a.id,
          targetId: t.id,
          groupKey: groupKey(deps.policy, t, a),
          severity: a.severity,
          notBefore: notBefore(t, a.severity, new Date(a.at)),
        });
      }
    }
    const n = await repo.insertItems(c, items);
    await repo.markRouted(
      c,
      rows.map((r) => r.id),
      deps.clock.now(),
    );
    return { notifications: rows.length, items: n };
  });
}

const highest = (alerts: Alert[]): Severity =>
  alerts.some((a) => a.severity === 'critical')
    ? 'critical'
    : alerts.some((a) => a.severity === 'warning')
      ? 'warning'
      : 'info';

async function makeOne(
  c: Parameters<Parameters<typeof withTransaction>[1]>[0],
  now: Date,
  target: Target,
  key: string,
  kind: 'alert' | 'repeat',
  alerts: Alert[],
): Promise<void> {
  const severity = key === 'digest' ? highest(alerts) : severityOfGroup(key);
  // `msg_` + a UUID: Standard Webhooks' id shape, and unique across installations for Message-IDs
  const deliveryKey = `msg_${randomUUID().replaceAll('-', '')}`;
  const payload = renderAlerts({
    kind,
    severity,
    groupKey: key,
    alerts,
    key: deliveryKey,
    digest: isDigest(target, severity) || key === 'digest',
  });
  const id = await insertDelivery(c, {
    key: deliveryKey,
    targetId: target.id,
    groupKey: key,
    kind,
    severity,
    payload,
    now,
  });
  if (kind === 'alert')
    await repo.assignItems(
      c,
      target.id,
      alerts.map((a) => a.id),
      id,
    );
  await repo.markGroupSent(c, target.id, key, now);
}

/**
 * Makes the messages that are due: a group's pending items once its group_wait / group_interval
 * has passed, and (with `repeats`) a reminder of a group's still-firing alerts after repeat_interval.
 * One transaction under a lock: an item joins exactly one message.
 */
export async function makeMessages(
  deps: OutboxDeps,
  opts: { repeats: boolean },
): Promise<{ messages: number; repeats: number }> {
  return withTransaction(deps.db, async (c) => {
    await repo.lockBatching(c);
    const now = deps.clock.now();
    const targets = new Map((await listTargets(c, { enabled: true })).map((t) => [t.id, t]));
    let messages = 0;
    const pg = await repo.pendingGroups(c, now);
    for (const g of pg) {
      const target = targets.get(g.target_id);
      if (!target) continue;
      const at = flushAt(timersOf(deps.policy, g.group_key), new Date(g.oldest), g.last_sent_at, now);
      if (at > now) continue;
      const alerts = await repo.readyItems(c, g, now, MESSAGE_MAX_ALERTS);
      if (alerts.length === 0) continue;
      await makeOne(c, now, target, g.group_key, 'alert', alerts);
      messages++;
    }
    let repeats = 0;
    if (opts.repeats) {
      const due = await repo.repeatCandidates(c, now, (k) => timersOf(deps.policy, k).repeatIntervalS);
      for (const g of due) {
        const target = targets.get(g.target_id);
        const alerts = target ? await repo.firingAlerts(c, g.target_id, g.group_key) : [];
        if (!target || alerts.length === 0) continue;
        await makeOne(c, now, target, g.group_key, 'repeat', alerts.slice(0, MESSAGE_MAX_ALERTS));
        repeats++;
      }
    }
    return { messages, repeats };
  });
}
