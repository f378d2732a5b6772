/**
 * A repricer rule as typed into the rules table, checked as the server checks it (PUT
 * /repricer/rules and the rule-file import share one validator; a test holds this one equal to it),
 * so a field is marked while typing and a save is refused for the reason the server would give.
 * Money stays decimal text; nothing goes through a float.
 */

export const STRATEGIES = ['match_buybox', 'beat_buybox', 'min_roi', 'hold'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export const STRATEGY_WORDS: Record<Strategy, string> = {
  match_buybox: 'Match buy box',
  beat_buybox: 'Beat buy box',
  min_roi: 'Minimum ROI (floor)',
  hold: 'Hold price',
};

/** The editable fields, as text (what the inputs hold). */
export interface RuleDraft {
  sku: string;
  min_price: string;
  max_price: string;
  map_price: string;
  strategy: string;
  step: string;
  enabled: boolean;
}

export type DraftField = Exclude<keyof RuleDraft, 'enabled'> | 'enabled' | 'marketplace';

export interface RuleProblem {
  field: DraftField;
  value: string;
  reason: string;
}

/** What PUT /repricer/rules takes for one rule (money as decimal text, null = none). */
export interface RuleBody {
  sku: string;
  min_price: string | null;
  max_price: string | null;
  map_price: string | null;
  strategy: Strategy;
  step: string | null;
  enabled: boolean;
}

// --- decimals as the server reads them (src/platform/tabular/decimal.ts: parseDecimal) ---

const DIGITS = /^\d+$/;

function ungroup(s: string, sep: string): string | null {
  const groups = s.split(sep);
  const first = groups[0]!;
  if (first.length < 1 || first.length > 3 || !DIGITS.test(first)) return null;
  for (const g of groups.slice(1)) if (g.length !== 3 || !DIGITS.test(g)) return null;
  return groups.join('');
}

function compose(negative: boolean, int: string, frac: string): string {
  const f = frac.replace(/0+$/, '');
  const i = int.replace(/^0+(?=\d)/, '') || '0';
  const body = f ? `${i}.${f}` : i;
  return negative && body !== '0' ? `-${body}` : body;
}

/**
 * `1.234,56`, `1,234.56`, `12,5`, `(12)`: the last separator followed by 1–2 digits is the decimal
 * one; one separator followed by exactly 3 digits groups thousands (`1.234` → 1234) unless the
 * integer part is 0. Returns a plain decimal (`-1234.56`) or null.
 */
export function parseDecimal(text: string): string | null {
  let s = text.replace(/[\s\u00a0\u202f\u2009'\u2019]/g, '');
  let negative = false;
  if (s.startsWith('(') && s.endsWith(')')) {
    negative = true;
    s = s.slice(1, -1);
  }
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = negative || s[0] === '-';
    s = s.slice(1);
  } else if (s.endsWith('-')) {
    negative = true;
    s = s.slice(0, -1);
  }
  if (s.length === 0 || !/^[\d.,]+$/.test(s)) return null;
  const dots = s.split('.').length - 1;
  const commas = s.split(',').length - 1;
  const last = Math.max(s.lastIndexOf('.'), s.lastIndexOf(','));
  if (last === -1) return compose(negative, s, '');
  const before = s.slice(0, last);
  const after = s.slice(last + 1);
  const sep = s[last]!;
  if (dots > 0 && commas > 0) {
    if ((sep === '.' ? dots : commas) !== 1) return null;
    const int = ungroup(before, sep === '.' ? ',' : '.');
    if (int === null || !DIGITS.test(after)) return null;
    return compose(negative, int, after);
  }
  if (dots + commas > 1) {
    const int = ungroup(s, sep);
    return int === null ? null : compose(negative, int, '');
  }
  if (before.length === 0 && after.length === 0) return null;
  if (after.length !== 3 || before.length === 0 || before.length > 3 || before.startsWith('0')) {
    return compose(negative, before, after);
  }
  return compose(negative, before + after, '');
}

// numeric(12, 2): ten integer digits, cents
const MAX_INT_DIGITS = 10;

function compareDecimal(a: string, b: string): number {
  const scale = (s: string) => {
    const [i = '0', f = ''] = s.split('.');
    return BigInt(i + f.padEnd(2, '0').slice(0, 2));
  };
  const [x, y] = [scale(a), scale(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

function money(raw: string, field: DraftField, problems: RuleProblem[], positive: boolean): string | null {
  if (raw.trim() === '') return null;
  const text = parseDecimal(raw.replace(/€|EUR/gi, '').trim());
  const bad = (reason: string) => {
    problems.push({ field, value: raw, reason });
    return null;
  };
  if (text === null) return bad('is not a number');
  const negative = text.startsWith('-');
  const zero = /^0(\.0*)?$/.test(text);
  if (negative || (positive && zero)) return bad(positive ? 'must be > 0' : 'must be ≥ 0');
  if ((text.split('.')[1] ?? '').length > 2) return bad('has more than 2 decimals');
  const int = text.split('.')[0]!;
  if (int.length > MAX_INT_DIGITS) return bad('is too large');
  return text;
}

/** Checks one rule; every problem, not just the first (the same words as the server's). */
export function validateRuleDraft(d: RuleDraft): { rule?: RuleBody; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  const sku = d.sku.trim();
  if (!sku) problems.push({ field: 'sku', value: d.sku, reason: 'is required' });
  else if (sku.length > 200)
    problems.push({ field: 'sku', value: sku, reason: 'is longer than 200 characters' });
  const min = money(d.min_price, 'min_price', problems, false);
  const max = money(d.max_price, 'max_price', problems, true);
  const map = money(d.map_price, 'map_price', problems, false);
  const step = money(d.step, 'step', problems, true);
  let strategy: Strategy = 'beat_buybox';
  if (d.strategy.trim() !== '') {
    const s = d.strategy.trim().toLowerCase() as Strategy;
    if (STRATEGIES.includes(s)) strategy = s;
    else
      problems.push({
        field: 'strategy',
        value: d.strategy,
        reason: `must be one of ${STRATEGIES.join(', ')}`,
      });
  }
  if (min !== null && max !== null && compareDecimal(min, max) > 0) {
    const [lo, hi] = [d.min_price.trim(), d.max_price.trim()];
    problems.push({ field: 'min_price', value: lo, reason: `min_price ${lo} > max_price ${hi}` });
  }
  if (problems.length > 0) return { problems };
  return {
    rule: { sku, min_price: min, max_price: max, map_price: map, strategy, step, enabled: d.enabled },
    problems,
  };
}

/** A stored rule (GET /repricer/rules) as the table edits it. */
export function draftOf(r: {
  sku: string;
  min_price: string | null;
  max_price: string | null;
  map_price: string | null;
  strategy: string;
  step: string | null;
  enabled: boolean;
}): RuleDraft {
  return {
    sku: r.sku,
    min_price: r.min_price ?? '',
    max_price: r.max_price ?? '',
    map_price: r.map_price ?? '',
    strategy: r.strategy,
    step: r.step ?? '',
    enabled: r.enabled,
  };
}

export const emptyDraft = (sku = ''): RuleDraft => ({
  sku,
  min_price: '',
  max_price: '',
  map_price: '',
  strategy: 'beat_buybox',
  step: '',
  enabled: true,
});

export function sameDraft(a: RuleDraft, b: RuleDraft): boolean {
  return (
    a.sku === b.sku &&
    a.min_price === b.min_price &&
    a.max_price === b.max_price &&
    a.map_price === b.map_price &&
    a.strategy === b.strategy &&
    a.step === b.step &&
    a.enabled === b.enabled
  );
}

/** Problems of one field, for its aria-invalid and message. */
export function problemOf(problems: readonly RuleProblem[], field: DraftField): RuleProblem | undefined {
  return problems.find((p) => p.field === field);
}

/**
 * The edits to save: every changed or new rule, validated. Any problem (or a SKU twice) refuses the
 * whole save, as the server would, with the reasons by SKU.
 */
export function planSave(edits: readonly { key: string; draft: RuleDraft }[]): {
  rules: RuleBody[];
  refusals: string[];
} {
  const rules: RuleBody[] = [];
  const refusals: string[] = [];
  const seen = new Set<string>();
  for (const { draft } of edits) {
    const { rule, problems } = validateRuleDraft(draft);
    const name = draft.sku.trim() || '(no SKU)';
    for (const p of problems) {
      refusals.push(`${name}: ${p.reason.startsWith(p.field) ? p.reason : `${p.field} ${p.reason}`}`);
    }
    if (!rule) continue;
    if (seen.has(rule.sku)) refusals.push(`${rule.sku}: listed twice`);
    seen.add(rule.sku);
    rules.push(rule);
  }
  return { rules, refusals };
}
