/**
 * The Team page's state ↔ the URL: which tab is open, and the audit log's filters and page, so a
 * filtered log can be shared and the back button works. Defaults are left out; a bad value is
 * dropped (an old or hand-edited link still opens).
 */

export const TEAM_TABS = ['users', 'tokens', 'audit'] as const;
export type TeamTab = (typeof TEAM_TABS)[number];
export const AUDIT_KINDS = ['all', 'writes', 'events'] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

export interface TeamSearch {
  tab?: TeamTab;
  actor?: string;
  action?: string;
  /** YYYY-MM-DD */
  from?: string;
  to?: string;
  /** default: writes (every read is logged too, and would drown the changes) */
  only?: AuditKind;
  page?: number;
  page_size?: number;
}

export const TEAM_DEFAULTS = { tab: 'users', only: 'writes', page: 1, page_size: 50 } as const;
const PAGE_SIZES = [25, 50, 100, 200];

function text(v: unknown, max: number): string | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  return s && s.length <= max ? s : undefined;
}

function day(v: unknown): string | undefined {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return undefined;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v ? v : undefined;
}

function int(v: unknown, min: number, max: number): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() ? Number(v) : Number.NaN;
  return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

function pick<T extends string>(v: unknown, allowed: readonly T[]): T | undefined {
  return typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as T) : undefined;
}

export function parseTeamSearch(raw: Record<string, unknown>): TeamSearch {
  const out: TeamSearch = {};
  const tab = pick(raw.tab, TEAM_TABS);
  if (tab && tab !== TEAM_DEFAULTS.tab) out.tab = tab;
  const actor = text(raw.actor, 254);
  if (actor) out.actor = actor;
  const action = text(raw.action, 100);
  if (action) out.action = action;
  const from = day(raw.from);
  if (from) out.from = from;
  const to = day(raw.to);
  if (to) out.to = to;
  const only = pick(raw.only, AUDIT_KINDS);
  if (only && only !== TEAM_DEFAULTS.only) out.only = only;
  const page = int(raw.page, 1, 1_000_000);
  if (page && page !== 1) out.page = page;
  const size = int(raw.page_size, 1, 200);
  if (size && PAGE_SIZES.includes(size) && size !== TEAM_DEFAULTS.page_size) out.page_size = size;
  return out;
}

/** A change of filters goes back to page 1; a change of page keeps the filters. */
export function updateTeamSearch(
  prev: TeamSearch,
  patch: Partial<Record<keyof TeamSearch, unknown>>,
): TeamSearch {
  const merged: Record<string, unknown> = { ...prev, ...patch };
  const filterChanged = Object.keys(patch).some((k) => k !== 'page' && k !== 'tab');
  if (filterChanged && !('page' in patch)) delete merged.page;
  return parseTeamSearch(merged);
}

/** The audit API's query for this state (the CSV link drops page and page_size). */
export function auditQuery(s: TeamSearch, paged = true) {
  const only = s.only ?? TEAM_DEFAULTS.only;
  return {
    actor: s.actor,
    action: s.action,
    from: s.from,
    to: s.to,
    only: only === 'all' ? undefined : only,
    ...(paged ? { page: s.page ?? 1, page_size: s.page_size ?? TEAM_DEFAULTS.page_size } : {}),
  };
}

export function auditCsvHref(s: TeamSearch): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(auditQuery(s, false))) if (v !== undefined) params.set(k, String(v));
  const q = params.toString();
  return `/api/v1/team/audit.csv${q ? `?${q}` : ''}`;
}

export function hasAuditFilters(s: TeamSearch): boolean {
  return Boolean(s.actor || s.action || s.from || s.to);
}
