import type { Queryable } from '../../../platform/db/queryable.ts';
import type { TaskType } from '../tasks.types.ts';
import type { Thresholds } from '../thresholds.ts';

export interface RuleContext {
  now: Date;
  t: Thresholds;
  /** Scheduled agents and the seconds between their runs (for agent_overdue). */
  schedules: { agent: string; interval_s: number }[];
}

/**
 * A rule writes the tasks that should exist for its type into `task_candidates` (engine.repo.ts);
 * the engine turns the difference into new, updated and resolved tasks.
 */
export interface Rule {
  type: TaskType;
  collect(c: Queryable, ctx: RuleContext): Promise<void>;
}

/** The ASINs the seller buys or sells: approved in the ROI review, or listed and active. */
export const SOLD = `sold AS (
  SELECT asin FROM products WHERE status = 'approved'
  UNION
  SELECT asin FROM listings WHERE status = 'active' AND asin IS NOT NULL)`;

/**
 * The ASINs the seller buys or sells, with the marketplace they are sold in: for the marketplace's
 * own time series (buy box), whose key starts with the marketplace.
 */
export const SOLD_IN = `sold_in AS (
  SELECT marketplace, asin FROM products WHERE status = 'approved'
  UNION
  SELECT marketplace, asin FROM listings WHERE status = 'active' AND asin IS NOT NULL)`;

/** A number as the UI shows it in a sentence: rounded, no trailing zeros. */
export const num = (expr: string, places = 1) => `trim_scale(round((${expr})::numeric, ${places}))::text`;

/** An amount of money as the UI shows it: always two decimals (19.50, not 19.5). */
export const money = (expr: string) => `round((${expr})::numeric, 2)::text`;

/** The columns of task_candidates every rule fills, in this order. */
export const CANDIDATE_COLUMNS = `INSERT INTO task_candidates
  (type, dedup_key, severity, title, why, links, action, details, marketplace, asin, sku, vendor_id, due_at, expires_at)`;

/** One `why` entry. */
export const why = (code: string, message: string, metric: string, value: string, threshold: string) =>
  `jsonb_build_object('code', '${code}', 'message', ${message}, 'metric', '${metric}', 'value', ${value}, 'threshold', ${threshold})`;

/** An action: a kind the actions service knows, its label and its parameters (a jsonb expression). */
export const action = (kind: string, label: string, params: string) =>
  `jsonb_build_object('kind', '${kind}', 'label', ${label}, 'params', ${params})`;

/** The "open the SKU page" action every ASIN task offers as an alternative. */
export const OPEN_SKU = (asin: string) =>
  action('open', `'Open the SKU page'`, `jsonb_build_object('page', 'sku', 'asin', ${asin})`);
