/** The words of the decision inbox (SPEC §10), shared by the engine, the services and the routes. */

export const TASK_TYPES = [
  'price_change',
  'reorder',
  'roi_below_target',
  'vendor_cost_increase',
  'returns_spike',
  'price_war',
  'stale_price_list',
  'fee_change',
  'agent_failed',
  'agent_overdue',
] as const;
export type TaskType = (typeof TASK_TYPES)[number];

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const STATES = ['open', 'snoozed', 'done', 'dismissed', 'resolved', 'expired'] as const;
export type TaskState = (typeof STATES)[number];

/** The states a person may move a task to; `resolved` and `expired` are the engine's alone. */
export const TARGET_STATES = ['open', 'snoozed', 'done', 'dismissed'] as const;
export type TargetState = (typeof TARGET_STATES)[number];

/** One reason a task exists, rendered by the UI as a sentence ("ROI 3.2 % < 15 % target"). */
export interface Why {
  code: string;
  message: string;
  metric: string;
  value: number | string | null;
  threshold: number | string | null;
}

/** What acting on a task does: a service call the task's default action or an alternative runs. */
export interface TaskAction {
  kind: ActionKind;
  label: string;
  params: Record<string, unknown>;
}
export const ACTION_KINDS = [
  'apply_price',
  'create_po',
  'set_product_status',
  'raise_floor',
  'open',
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export interface Task {
  id: number;
  type: TaskType;
  dedup_key: string;
  state: TaskState;
  severity: Severity;
  title: string;
  why: Why[];
  links: Record<string, string | number>;
  action: { default: TaskAction; alternatives: TaskAction[] } | null;
  details: unknown;
  marketplace: string | null;
  asin: string | null;
  sku: string | null;
  vendor_id: number | null;
  due: string | null;
  snoozed_until: string | null;
  expires_at: string | null;
  assignee: string | null;
  created_at: string;
  updated_at: string;
  state_changed_at: string;
}

export interface TaskEvent {
  id: number;
  at: string;
  kind: string;
  actor: string;
  note: string | null;
  before: unknown;
  after: unknown;
}
