/**
 * Repricer rules as users write them (HTTP JSON or a CSV/XLSX row) → the validated row stored in
 * `repricer_rules`. One validator for both, so the API and the import refuse the same things with
 * the same words. Money is kept as decimal text; nothing goes through a float.
 */

import { cmp, toRatio } from '../../platform/money.ts';
import { parseDecimal, parsePlainDecimal } from '../../platform/tabular/index.ts';
import type { Strategy } from './decide.ts';

export const STRATEGIES: readonly Strategy[] = ['match_buybox', 'beat_buybox', 'min_roi', 'hold'];
export const RULE_FIELDS = [
  'sku',
  'min_price',
  'max_price',
  'map_price',
  'strategy',
  'step',
  'enabled',
  'marketplace',
] as const;
export type RuleField = (typeof RULE_FIELDS)[number];

export interface Rule {
  marketplace: string;
  sku: string;
  min_price: string | null;
  max_price: string | null;
  map_price: string | null;
  strategy: Strategy;
  step: string | null;
  enabled: boolean;
}

/** A value as given: JSON (number, string, boolean, null) or a cell's text (`numeric` for XLSX numbers). */
export type RawValue = string | number | boolean | null | undefined;
export type RawRule = Partial<Record<RuleField, RawValue>>;

export interface RuleProblem {
  field: RuleField;
  value: string;
  reason: string;
}

// numeric(12, 2): ten integer digits, cents
const MAX_MONEY = toRatio('9999999999.99')!;

const shown = (v: RawValue) => (v === null || v === undefined ? '' : String(v));
const blank = (v: RawValue) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

function money(
  v: RawValue,
  field: RuleField,
  problems: RuleProblem[],
  opts: { positive: boolean; numeric?: boolean },
): string | null {
  if (blank(v)) return null;
  let text: string | null = null;
  if (typeof v === 'number') text = Number.isFinite(v) ? parsePlainDecimal(String(v)) : null;
  else if (typeof v === 'string')
    text = opts.numeric ? parsePlainDecimal(v.trim()) : parseDecimal(v.replace(/€|EUR/gi, '').trim());
  const bad = (reason: string) => {
    problems.push({ field, value: shown(v), reason });
    return null;
  };
  if (text === null) return bad('is not a number');
  const r = toRatio(text)!;
  if (r.n < 0n || (opts.positive && r.n === 0n)) return bad(opts.positive ? 'must be > 0' : 'must be ≥ 0');
  if ((text.split('.')[1] ?? '').length > 2) return bad('has more than 2 decimals');
  if (cmp(r, MAX_MONEY) > 0) return bad('is too large');
  return text;
}

const TRUE = new Set(['true', 'yes', 'y', '1', 'on', 'ja']);
const FALSE = new Set(['false', 'no', 'n', '0', 'off', 'nein']);

function bool(v: RawValue, problems: RuleProblem[]): boolean {
  if (blank(v)) return true;
  if (typeof v === 'boolean') return v;
  const s = String(v).trim().toLowerCase();
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  problems.push({ field: 'enabled', value: shown(v), reason: 'must be true or false' });
  return true;
}

/**
 * Validates one rule; `numeric` marks fields whose text is a machine number (XLSX numeric cells,
 * `.` always the decimal point). Returns the rule, or the problems (every one, not just the first).
 */
export function validateRule(
  raw: RawRule,
  defaults: { marketplace: string },
  numeric: Partial<Record<RuleField, boolean>> = {},
): { rule?: Rule; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  const sku = typeof raw.sku === 'string' || typeof raw.sku === 'number' ? String(raw.sku).trim() : '';
  if (!sku) problems.push({ field: 'sku', value: shown(raw.sku), reason: 'is required' });
  else if (sku.length > 200)
    problems.push({ field: 'sku', value: sku, reason: 'is longer than 200 characters' });
  const marketplace = blank(raw.marketplace)
    ? defaults.marketplace
    : String(raw.marketplace).trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(marketplace)) {
    problems.push({
      field: 'marketplace',
      value: shown(raw.marketplace),
      reason: 'must be a 2-letter code such as DE',
    });
  }
  const m = (f: RuleField, positive = false) =>
    money(raw[f], f, problems, { positive, numeric: numeric[f] ?? false });
  const min = m('min_price');
  const max = m('max_price', true);
  const map = m('map_price');
  const step = m('step', true);
  let strategy: Strategy = 'beat_buybox';
  if (!blank(raw.strategy)) {
    const s = String(raw.strategy).trim().toLowerCase() as Strategy;
    if (STRATEGIES.includes(s)) strategy = s;
    else
      problems.push({
        field: 'strategy',
        value: shown(raw.strategy),
        reason: `must be one of ${STRATEGIES.join(', ')}`,
      });
  }
  const enabled = bool(raw.enabled, problems);
  if (min !== null && max !== null && cmp(toRatio(min)!, toRatio(max)!) > 0) {
    // as the user wrote them, so the message points at what is in their file or request
    const [lo, hi] = [shown(raw.min_price).trim(), shown(raw.max_price).trim()];
    problems.push({ field: 'min_price', value: lo, reason: `min_price ${lo} > max_price ${hi}` });
  }
  if (problems.length > 0) return { problems };
  return {
    rule: { marketplace, sku, min_price: min, max_price: max, map_price: map, strategy, step, enabled },
    problems,
  };
}

/** The rule a listing without a row gets (SPEC §8: beat_buybox, enabled, no bounds). */
export function defaultRule(marketplace: string, sku: string): Rule {
  return {
    marketplace,
    sku,
    min_price: null,
    max_price: null,
    map_price: null,
    strategy: 'beat_buybox',
    step: null,
    enabled: true,
  };
}
