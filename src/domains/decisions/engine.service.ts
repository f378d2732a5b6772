import { performance } from 'node:perf_hooks';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import type { Logger } from '../../platform/logger.ts';
import * as engine from './engine.repo.ts';
import { agentFailed, agentOverdue } from './rules/agents.repo.ts';
import { priceChange, priceWar } from './rules/pricing.repo.ts';
import { feeChange, roiBelowTarget } from './rules/roi.repo.ts';
import type { Rule } from './rules/rule.ts';
import { reorder, returnsSpike } from './rules/stock.repo.ts';
import { stalePriceList, vendorCostIncrease } from './rules/vendors.repo.ts';
import { TASK_TYPES, type TaskType } from './tasks.types.ts';
import { readThresholds } from './thresholds.repo.ts';
import { isEnabled, thresholdsFrom } from './thresholds.ts';

/** Every rule, in evaluation order: price_war before price_change, which it silences. */
const RULES: Rule[] = [
  roiBelowTarget,
  feeChange,
  vendorCostIncrease,
  stalePriceList,
  priceWar,
  priceChange,
  reorder,
  returnsSpike,
  agentFailed,
  agentOverdue,
];

/** What a writer changed, and so which rules to evaluate right after it commits. */
export const RULES_FED_BY = {
  roi: ['roi_below_target', 'fee_change', 'vendor_cost_increase'],
  price_list: ['vendor_cost_increase', 'stale_price_list', 'roi_below_target'],
  report: ['returns_spike', 'roi_below_target', 'fee_change', 'price_change'],
  market: ['price_war', 'price_change', 'roi_below_target', 'fee_change'],
  repricer: ['price_war', 'price_change'],
  restock: ['reorder'],
  purchase_order: ['reorder'],
  // agent_overdue needs the schedules: the decisions job evaluates it
  agents: ['agent_failed'],
} satisfies Record<string, TaskType[]>;
export type ChangeSource = keyof typeof RULES_FED_BY;

export interface EvaluateOptions {
  /** The rules to evaluate (default: all); the active tasks of other types are left alone. */
  types?: readonly TaskType[];
  /** Scheduled agents and their intervals in seconds, for agent_overdue. */
  schedules?: { agent: string; interval_s: number }[];
  /** Do all of it and roll it back: the same counts, nothing kept. */
  dryRun?: boolean;
}

export interface EvaluationResult extends engine.Reconciled {
  types: TaskType[];
  woke: number;
  expired: number;
  duration_ms: number;
  dry_run: boolean;
}

/**
 * Evaluates rules (SPEC §10) and brings the tasks in line, in one transaction under one lock: snoozed
 * tasks whose time came open again, expired ones expire, then each rule writes what should exist and
 * the engine creates, updates, reopens and resolves tasks from the difference. Run with nothing
 * changed, it creates, updates and resolves nothing.
 */
export async function evaluate(
  deps: { db: Db; clock: Clock },
  opts: EvaluateOptions = {},
): Promise<EvaluationResult> {
  const types = [...new Set(opts.types ?? TASK_TYPES)];
  return withTransaction(
    deps.db,
    async (c) => {
      const t0 = performance.now();
      const now = deps.clock.now();
      await engine.lock(c);
      const t = thresholdsFrom(await readThresholds(c));
      await engine.createCandidates(c);
      const woke = await engine.wake(c, now);
      const expired = await engine.expire(c, now);
      const ctx = { now, t, schedules: opts.schedules ?? [] };
      for (const rule of RULES) {
        if (types.includes(rule.type) && isEnabled(t, rule.type)) await rule.collect(c, ctx);
      }
      const r = await engine.reconcile(c, now, types, t.dismiss_hold_days);
      return {
        types,
        woke,
        expired,
        ...r,
        duration_ms: Math.round(performance.now() - t0),
        dry_run: opts.dryRun === true,
      };
    },
    { rollback: opts.dryRun === true },
  );
}

/**
 * Evaluates the rules a writer's change feeds, right after it committed. A failure is logged, not
 * thrown: the change stands, and the scheduled evaluation catches up within its interval.
 */
export async function evaluateAfter(
  deps: { db: Db; clock: Clock; log: Logger },
  source: ChangeSource,
): Promise<EvaluationResult | undefined> {
  try {
    const r = await evaluate(deps, { types: RULES_FED_BY[source] });
    deps.log.info({ source, ...r }, 'decisions evaluated');
    return r;
  } catch (err) {
    deps.log.error({ err, source }, 'decisions evaluation failed; the scheduled run will catch up');
    return undefined;
  }
}
