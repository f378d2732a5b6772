import type { AlertTiming, Config } from '../../platform/config.ts';
import { type Alert, RANK, type Severity, type Target } from './alerts.types.ts';

/**
 * Alertmanager's grouping, per target: alerts with the same severity and group_by labels share a
 * group; a new group waits group_wait for company, a group that sent waits group_interval before it
 * sends what is new, and a group with alerts still firing reminds after repeat_interval.
 */
export interface Policy {
  groupBy: readonly string[];
  timing: Record<Severity, AlertTiming>;
  /** E-mail below critical: one digest per this many seconds, all types together. */
  digestS: number;
}

export function policyOf(config: Config): Policy {
  return {
    groupBy: config.ALERT_GROUP_BY,
    timing: config.ALERT_TIMING,
    digestS: config.ALERT_EMAIL_DIGEST_MINUTES * 60,
  };
}

export const isDigest = (target: Pick<Target, 'channel'>, severity: Severity) =>
  target.channel === 'email' && severity !== 'critical';

export function groupKey(policy: Policy, target: Pick<Target, 'channel'>, a: Alert): string {
  if (isDigest(target, a.severity)) return 'digest';
  const parts = policy.groupBy.map((l) => `${l}=${l === 'type' ? a.type : (a.labels[l] ?? '')}`);
  return [a.severity, ...parts].join('|');
}

/** The severity a group key was made for (a digest counts as warning for its timers). */
export const severityOfGroup = (key: string): Severity =>
  key === 'digest' ? 'warning' : (key.split('|')[0] as Severity);

/** The three timers of a group in seconds; a digest waits its whole interval before the first mail. */
export function timersOf(policy: Policy, key: string): AlertTiming {
  if (key === 'digest') {
    return { groupWaitS: policy.digestS, groupIntervalS: policy.digestS, repeatIntervalS: 86_400 };
  }
  return policy.timing[severityOfGroup(key)];
}

/**
 * When a group may next send: a group that has not sent within group_interval is new again and
 * waits group_wait from its oldest pending alert; otherwise group_interval after its last message.
 */
export function flushAt(t: AlertTiming, oldestPending: Date, lastSent: Date | null, now: Date): Date {
  if (lastSent && now.getTime() - lastSent.getTime() < t.groupIntervalS * 1000) {
    return new Date(lastSent.getTime() + t.groupIntervalS * 1000);
  }
  return new Date(oldestPending.getTime() + t.groupWaitS * 1000);
}

/** Whether a target wants this alert (a resolved one it was told about always passes: it closes the loop). */
export function wants(target: Target, a: Alert, toldBefore: boolean): boolean {
  if (!target.enabled) return false;
  if (a.event === 'resolved') return toldBefore;
  if (RANK[a.severity] < RANK[target.min_severity]) return false;
  return !target.task_types || target.task_types.includes(a.type);
}

/** Minutes since local midnight of `at` in `timeZone`. */
function localMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
};

/**
 * Quiet hours: the end of the window `at` falls in (the alert waits until then), or `at` itself.
 * Critical alerts are never held: that is what critical means.
 */
export function notBefore(target: Target, severity: Severity, at: Date): Date {
  if (!target.quiet_start || !target.quiet_end || severity === 'critical') return at;
  const start = minutesOf(target.quiet_start);
  const end = minutesOf(target.quiet_end);
  const now = localMinutes(at, target.timezone);
  const inside = start <= end ? now >= start && now < end : now >= start || now < end;
  if (!inside) return at;
  const wait = (end - now + 1440) % 1440;
  // whole minutes from now, less the seconds already past this minute
  const t = new Date(at.getTime() + wait * 60_000);
  t.setUTCSeconds(0, 0);
  return t;
}
