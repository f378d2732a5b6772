/**
 * The inbox's state ↔ the URL: grouping, filters (state, type, severity, vendor, ASIN, assignee), page and the
 * task whose detail is open. Defaults are left out; a bad value is dropped, never an error page.
 */
import type { Severity, TaskState, TasksQuery, TaskType } from '../../api/tasks.ts';

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
] as const satisfies readonly TaskType[];
export const SEVERITIES = ['critical', 'warning', 'info'] as const satisfies readonly Severity[];
export const STATES = [
  'open',
  'snoozed',
  'done',
  'dismissed',
  'resolved',
  'expired',
] as const satisfies readonly TaskState[];
export const GROUPS = ['type', 'vendor'] as const;
export type Group = (typeof GROUPS)[number];

export interface InboxSearch {
  /** Grouped by task type (default) or by vendor. */
  group?: Group;
  /** Default: open only. */
  state?: TaskState[];
  type?: TaskType[];
  severity?: Severity[];
  vendor?: number;
  asin?: string;
  /** Tasks given to this person (the "assigned to me" filter puts the signed-in name here). */
  assignee?: string;
  page?: number;
  page_size?: number;
  /** The task whose detail is open beside the list. */
  task?: number;
}

export const INBOX_DEFAULTS = { group: 'type', state: ['open'], page: 1, page_size: 50 } as const;

function posInt(v: unknown, max = 2 ** 53 - 1): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isSafeInteger(n) && n >= 1 && n <= max ? n : undefined;
}

/** `a,b` or ['a','b'] → the known words among them, in the list's own order, or undefined. */
function listOf<T extends string>(words: readonly T[], v: unknown): T[] | undefined {
  const raw = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(',') : [];
  const picked = words.filter((w) => raw.includes(w));
  return picked.length > 0 ? picked : undefined;
}

const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

export function parseInboxSearch(raw: Record<string, unknown>): InboxSearch {
  const out: InboxSearch = {};
  if (raw['group'] === 'vendor') out.group = 'vendor';
  const state = listOf(STATES, raw['state']);
  if (state && !same(state, INBOX_DEFAULTS.state)) out.state = state;
  const type = listOf(TASK_TYPES, raw['type']);
  if (type) out.type = type;
  const severity = listOf(SEVERITIES, raw['severity']);
  if (severity && severity.length < SEVERITIES.length) out.severity = severity;
  const vendor = posInt(raw['vendor']);
  if (vendor) out.vendor = vendor;
  const asin = typeof raw['asin'] === 'string' ? raw['asin'].trim().toUpperCase() : '';
  if (/^[A-Z0-9]{10}$/.test(asin)) out.asin = asin;
  const assignee = typeof raw['assignee'] === 'string' ? raw['assignee'].trim() : '';
  if (assignee && assignee.length <= 200) out.assignee = assignee;
  const page = posInt(raw['page'], 1_000_000);
  if (page && page > 1) out.page = page;
  const size = posInt(raw['page_size'], 200);
  if (size && size !== INBOX_DEFAULTS.page_size) out.page_size = size;
  const task = posInt(raw['task']);
  if (task) out.task = task;
  return out;
}

/** A change from a control: a filter change goes back to page 1; grouping and the detail keep it. */
export function updateInboxSearch(
  prev: InboxSearch,
  patch: Partial<Record<keyof InboxSearch, unknown>>,
): InboxSearch {
  const keepPage = Object.keys(patch).every((k) => ['page', 'task', 'group', 'page_size'].includes(k));
  const next: Record<string, unknown> = { ...prev, ...patch };
  if (!keepPage) delete next['page'];
  return parseInboxSearch(next);
}

/** GET /tasks's query for this state: most severe first, then the earliest due. */
export function inboxApiQuery(s: InboxSearch): TasksQuery {
  return {
    state: (s.state ?? INBOX_DEFAULTS.state).join(','),
    ...(s.type ? { type: s.type.join(',') } : {}),
    ...(s.severity ? { severity: s.severity.join(',') } : {}),
    ...(s.vendor ? { vendor_id: s.vendor } : {}),
    ...(s.asin ? { asin: s.asin } : {}),
    ...(s.assignee ? { assignee: s.assignee } : {}),
    sort: 'severity',
    page: s.page ?? INBOX_DEFAULTS.page,
    page_size: s.page_size ?? INBOX_DEFAULTS.page_size,
  };
}

/** Any filter beyond the defaults (the empty state then suggests clearing them). */
export const hasFilters = (s: InboxSearch) =>
  Boolean(s.state || s.type || s.severity || s.vendor || s.asin || s.assignee);
