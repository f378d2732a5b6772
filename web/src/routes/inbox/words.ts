import type { TaskState, TaskType } from '../../api/tasks.ts';

/** Task types in the seller's words (group headers, the type filter). */
export const TYPE_WORDS: Record<TaskType, string> = {
  price_change: 'Price changes',
  reorder: 'Reorders',
  roi_below_target: 'ROI below target',
  vendor_cost_increase: 'Vendor cost increases',
  returns_spike: 'Returns spikes',
  price_war: 'Price wars',
  stale_price_list: 'Stale price lists',
  fee_change: 'Amazon fee changes',
  agent_failed: 'Failed agents',
  agent_overdue: 'Overdue agents',
};

export const typeWords = (t: string) => TYPE_WORDS[t as TaskType] ?? t.replace(/_/g, ' ');

export const STATE_WORDS: Record<TaskState, string> = {
  open: 'open',
  snoozed: 'snoozed',
  done: 'done',
  dismissed: 'dismissed',
  resolved: 'resolved (the condition cleared)',
  expired: 'expired',
};

/** The state filter's choices: the common ones, plus any other combination the URL carries. */
export const STATE_CHOICES: { value: string; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'snoozed', label: 'Snoozed' },
  { value: 'open,snoozed', label: 'Open and snoozed' },
  { value: 'done', label: 'Done' },
  { value: 'dismissed', label: 'Dismissed' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'expired', label: 'Expired' },
  { value: 'done,dismissed,resolved,expired', label: 'Every closed task' },
];

/** A history event's kind as a sentence start. */
export const EVENT_WORDS: Record<string, string> = {
  created: 'Raised',
  escalated: 'Escalated',
  deescalated: 'Severity lowered',
  transition: 'Moved',
  resolved: 'Resolved',
  reopened: 'Reopened',
  expired: 'Expired',
  updated: 'Updated',
  assigned: 'Assigned',
  acted: 'Acted',
  woke: 'Snooze ended',
};
