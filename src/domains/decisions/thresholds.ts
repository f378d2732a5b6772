import type { TaskType } from './tasks.types.ts';

/** One tunable number of a rule: its default and the range an admin may set. */
export interface ThresholdDef {
  default: number;
  min: number;
  max: number;
  integer?: boolean;
  unit?: string;
  description: string;
}

const enabled = (what: string): ThresholdDef => ({
  default: 1,
  min: 0,
  max: 1,
  integer: true,
  description: `1: raise ${what} tasks; 0: never (open ones resolve at the next evaluation)`,
});

/**
 * Every threshold the rules read, with the defaults of SPEC §10. The table `task_thresholds` holds
 * only what an admin changed, so a new threshold is a line here, not a migration.
 */
export const THRESHOLDS = {
  'roi_below_target.enabled': enabled('roi_below_target'),
  'roi_below_target.target_pct': {
    default: 15,
    min: -100,
    max: 1000,
    unit: '%',
    description: 'ROI of the best offer below this: a warning task',
  },
  'roi_below_target.critical_pct': {
    default: -5,
    min: -100,
    max: 1000,
    unit: '%',
    description: 'ROI at or below this: critical',
  },
  'roi_below_target.refreshes': {
    default: 2,
    min: 1,
    max: 20,
    integer: true,
    description: 'consecutive ROI refreshes the ROI must stay low before a task is raised',
  },
  'vendor_cost_increase.enabled': enabled('vendor_cost_increase'),
  'vendor_cost_increase.min_pct': {
    default: 5,
    min: 0,
    max: 1000,
    unit: '%',
    description:
      "a price list's cost rise from this much is listed (or any rise that pushes ROI below target)",
  },
  'returns_spike.enabled': enabled('returns_spike'),
  'returns_spike.rate_pct': {
    default: 5,
    min: 0,
    max: 100,
    unit: '%',
    description: 'returns per unit shipped over 30 days above max(this, factor × the 90 days before)',
  },
  'returns_spike.trailing_factor': {
    default: 1.5,
    min: 1,
    max: 100,
    description: 'how many times the trailing 90-day rate the 30-day rate must exceed',
  },
  'returns_spike.min_returns': {
    default: 3,
    min: 1,
    max: 1_000_000,
    integer: true,
    description: 'units returned in 30 days, at least',
  },
  'returns_spike.min_shipped': {
    default: 25,
    min: 1,
    max: 1_000_000,
    integer: true,
    description: 'units shipped in 30 days, at least',
  },
  'price_war.enabled': enabled('price_war'),
  'price_war.drops': {
    default: 3,
    min: 1,
    max: 100,
    integer: true,
    description: 'buy-box drops within the window',
  },
  'price_war.window_hours': { default: 24, min: 1, max: 24 * 14, integer: true, description: 'the window' },
  'price_war.total_drop_pct': {
    default: 10,
    min: 0,
    max: 100,
    unit: '%',
    description: 'the drops together take at least this share off the price',
  },
  'price_war.below_floor': {
    default: 2,
    min: 1,
    max: 100,
    integer: true,
    description: 'buy-box observations in a row below our floor (critical)',
  },
  'price_change.enabled': enabled('price_change'),
  'price_change.expire_hours': {
    default: 24,
    min: 1,
    max: 24 * 30,
    integer: true,
    description: 'a proposed price nobody applied expires after this long (the next run proposes afresh)',
  },
  'reorder.enabled': enabled('reorder'),
  'stale_price_list.enabled': enabled('stale_price_list'),
  'stale_price_list.days': {
    default: 30,
    min: 1,
    max: 3650,
    integer: true,
    description: "days since a vendor's last price list",
  },
  'fee_change.enabled': enabled('fee_change'),
  'fee_change.min_pct': {
    default: 10,
    min: 0,
    max: 1000,
    unit: '%',
    description: "an ASIN's Amazon fees rising this much (or pushing ROI below target)",
  },
  'fee_change.window_days': {
    default: 30,
    min: 1,
    max: 365,
    integer: true,
    description: 'a fee change older than this no longer raises a task',
  },
  'agent_failed.enabled': enabled('agent_failed'),
  'agent_overdue.enabled': enabled('agent_overdue'),
  'agent_overdue.factor': {
    default: 2,
    min: 1.1,
    max: 100,
    description: 'a scheduled agent is overdue when no run started for this many of its intervals',
  },
  dismiss_hold_days: {
    default: 7,
    min: 0,
    max: 365,
    integer: true,
    description: 'a dismissed (or done) task stays closed this long unless its severity rises',
  },
} satisfies Record<string, ThresholdDef>;

export type ThresholdKey = keyof typeof THRESHOLDS;
export type Thresholds = Record<ThresholdKey, number>;

export const THRESHOLD_KEYS = Object.keys(THRESHOLDS) as ThresholdKey[];

export function isThresholdKey(k: string): k is ThresholdKey {
  return Object.hasOwn(THRESHOLDS, k);
}

/** The defaults overlaid with an admin's values. */
export function thresholdsFrom(overrides: { key: string; value: number }[]): Thresholds {
  const out = Object.fromEntries(THRESHOLD_KEYS.map((k) => [k, THRESHOLDS[k].default])) as Thresholds;
  for (const o of overrides) if (isThresholdKey(o.key)) out[o.key] = o.value;
  return out;
}

export function isEnabled(t: Thresholds, type: TaskType): boolean {
  const k = `${type}.enabled`;
  return !isThresholdKey(k) || t[k] !== 0;
}
