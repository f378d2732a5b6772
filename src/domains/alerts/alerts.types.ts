/** The words of alerts and notifications (SPEC §11), shared by the dispatcher, the channels and the routes. */
import { SEVERITIES, type Severity, TASK_TYPES } from '../decisions/tasks.types.ts';

export { SEVERITIES, type Severity };

export const CHANNELS = ['telegram', 'email', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Alerts the alerts domain raises itself, besides the inbox's agent_failed / agent_overdue tasks. */
export const SYSTEM_TYPES = ['spapi_credentials', 'queue_backlog'] as const;
/** What a target's `task_types` may name. */
export const ALERT_TYPES: readonly string[] = [...TASK_TYPES, ...SYSTEM_TYPES];

export const RANK: Record<Severity, number> = { info: 1, warning: 2, critical: 3 };

/** A notification as the router and the renderers see it. */
export interface Alert {
  id: number;
  alert_key: string;
  event: 'created' | 'escalated' | 'resolved';
  type: string;
  severity: Severity;
  title: string;
  summary: string | null;
  labels: Record<string, string | number>;
  task_id: number | null;
  at: Date;
}

export interface Target {
  id: number;
  channel: Channel;
  address: string;
  origin: 'config' | 'admin' | 'user';
  owner: string;
  secret: string | null;
  description: string | null;
  min_severity: Severity;
  task_types: string[] | null;
  quiet_start: string | null;
  quiet_end: string | null;
  timezone: string;
  enabled: boolean;
  disabled_reason: string | null;
}

/** What a message carries, rendered once when it is made: every retry sends the same bytes. */
export interface Payload {
  subject: string;
  /** Telegram: HTML parts of ≤ 4096 characters each, sent in order. */
  parts: string[];
  text: string;
  html: string;
  /** Webhooks: the JSON body's `data`. */
  data: unknown;
}

export interface Delivery {
  id: number;
  key: string;
  target_id: number;
  group_key: string;
  kind: 'alert' | 'repeat' | 'test';
  severity: Severity;
  payload: Payload;
  state: 'pending' | 'sending' | 'delivered' | 'failed';
  attempts: number;
  parts_done: number;
  inflight_part: number | null;
  uncertain: boolean;
  created_at: Date;
}

/** How one send went: `retryAt` for a transient failure, `permanent` when retrying cannot help. */
export type SendOutcome =
  | { ok: true }
  | { ok: false; error: string; permanent: boolean; retryAt?: Date; disable?: string };
