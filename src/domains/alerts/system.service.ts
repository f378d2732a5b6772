import { LWA_REFUSED } from '../../platform/amazon/lwa.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import type { Severity } from './alerts.types.ts';
import { insertSystemAlert, latestEvent } from './outbox.repo.ts';
import { agentsRefusedByLwa, queueBacklog } from './system.repo.ts';

/**
 * System alerts that are not inbox tasks (agent_failed / agent_overdue already are): SP-API refusing
 * our credentials, and jobs piling up in the queue. Each is raised once when it starts and resolved
 * once when it clears, through the same outbox as task events.
 */

// a job waiting this long was not merely queued behind a busy minute
const BACKLOG_AGE_S = 300;

export interface SystemDeps {
  db: Db;
  clock: Clock;
  backlogThreshold: number;
}

async function setState(
  deps: SystemDeps,
  a: { key: string; type: string; severity: Severity; title: string; summary: string },
  firing: boolean,
): Promise<boolean> {
  return withTransaction(deps.db, async (c) => {
    // one check at a time, so two workers cannot both raise the same alert
    await c.query(`SELECT pg_advisory_xact_lock(hashtext('awa:alerts:system'))`);
    const last = await latestEvent(c, a.key);
    const isFiring = last === 'created';
    if (firing === isFiring) return false;
    await insertSystemAlert(c, {
      alertKey: a.key,
      event: firing ? 'created' : 'resolved',
      type: a.type,
      severity: a.severity,
      title: a.title,
      summary: a.summary,
      at: deps.clock.now(),
    });
    return true;
  });
}

/** Looks at both conditions; returns how many alerts were raised or resolved. */
export async function checkSystem(deps: SystemDeps): Promise<number> {
  const now = deps.clock.now();
  const backlog = await queueBacklog(deps.db.pool, now, BACKLOG_AGE_S);
  const waiting = backlog.reduce((s, q) => s + q.waiting, 0);
  const refused = await agentsRefusedByLwa(deps.db.pool, LWA_REFUSED);
  let changed = 0;
  if (
    await setState(
      deps,
      {
        key: 'system:queue_backlog',
        type: 'queue_backlog',
        severity: 'warning',
        title: `Job queue backlog (jobs waiting over ${BACKLOG_AGE_S / 60} min)`,
        summary:
          `${waiting} waiting: ` +
          backlog
            .slice(0, 5)
            .map((q) => `${q.name} ${q.waiting}`)
            .join(', '),
      },
      waiting >= deps.backlogThreshold,
    )
  )
    changed++;
  if (
    await setState(
      deps,
      {
        key: 'system:spapi_credentials',
        type: 'spapi_credentials',
        severity: 'critical',
        title: 'SP-API credentials rejected',
        summary: refused[0]?.error.slice(0, 300) ?? 'SP-API accepts the credentials again',
      },
      refused.length > 0,
    )
  )
    changed++;
  return changed;
}
