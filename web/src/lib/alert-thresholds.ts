/**
 * The decision engine's thresholds on the Settings page: grouped by the rule they belong to, a
 * draft per field (text as typed, or "back to the default"), and the server's refusal mapped back
 * to the fields it names. The server checks ranges (all or none); here only "is it a number".
 */

export interface ThresholdLike {
  key: string;
  value: number;
  default: number;
  integer: boolean;
}

/** A field's draft: text as typed, or null for "put the default back". */
export type Drafts = Record<string, string | null>;

/** `price_war.window_hours` → the rule `price_war`; a key without a dot is a general setting. */
export function ruleOf(key: string): string {
  const dot = key.indexOf('.');
  return dot < 0 ? 'general' : key.slice(0, dot);
}

/** `price_war.window_hours` → "Window hours"; `enabled` → "Raise these tasks". */
export function nameOf(key: string): string {
  const last = key.slice(key.indexOf('.') + 1);
  if (last === 'enabled') return 'Raise these tasks';
  const words = last.replace(/_pct$/, '').replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const isSwitch = (key: string) => key.endsWith('.enabled');

/** Thresholds in groups by rule, in the server's order. */
export function groupThresholds<T extends ThresholdLike>(items: T[]): { rule: string; items: T[] }[] {
  const groups = new Map<string, T[]>();
  for (const t of items) {
    const rule = ruleOf(t.key);
    groups.set(rule, [...(groups.get(rule) ?? []), t]);
  }
  return [...groups].map(([rule, list]) => ({ rule, items: list }));
}

/** "12,5" or "12.5" → 12.5; anything else → null. */
export function parseDecimal(text: string): number | null {
  const t = text.trim().replace(/\s/g, '').replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(t)) return null;
  return Number(t);
}

/**
 * The drafts → PUT's `values` (only what differs from the saved value) and the fields that are not
 * numbers. A reset of a value already at its default is left out.
 */
export function changesOf(
  items: ThresholdLike[],
  drafts: Drafts,
): { values: Record<string, number | null>; errors: Record<string, string> } {
  const values: Record<string, number | null> = {};
  const errors: Record<string, string> = {};
  for (const t of items) {
    if (!(t.key in drafts)) continue;
    const d = drafts[t.key];
    if (d === null) {
      if (t.value !== t.default) values[t.key] = null;
      continue;
    }
    const n = parseDecimal(d ?? '');
    if (n === null) errors[t.key] = 'is not a number';
    else if (n !== t.value) values[t.key] = n;
  }
  return { values, errors };
}

/**
 * The API's refusal → a message per field it names. `details` is [{field, message}] (thresholds) or
 * one {field, value, rule} whose words are the error's message ("address is not an e-mail address").
 */
export function fieldErrors(details: unknown, message?: string): Record<string, string> {
  const list = Array.isArray(details) ? details : details && typeof details === 'object' ? [details] : [];
  const out: Record<string, string> = {};
  for (const p of list as { field?: unknown; message?: unknown }[]) {
    if (typeof p?.field !== 'string') continue;
    const field = p.field.replace(/^\/?(values\/)?/, '');
    const own = typeof p.message === 'string' ? p.message : undefined;
    const text = own ?? (message?.startsWith(`${p.field} `) ? message.slice(p.field.length + 1) : message);
    if (text) out[field] = text;
  }
  return out;
}

/** An ApiError's refused fields (none for any other error). */
export const errorFields = (error: unknown): Record<string, string> =>
  error && typeof error === 'object' && 'details' in error && error instanceof Error
    ? fieldErrors((error as { details?: unknown }).details, error.message)
    : {};
