import { AppError } from '../../platform/errors.ts';
import type { JobContext, JobDefinition, JobOutcome } from '../../platform/jobs/index.ts';
import { evaluateAfter } from '../decisions/engine.service.ts';
import { runRestock } from './restock.service.ts';

// A run's result lists what it would order; beyond this many lines the stored plan and its CSV
// are the place to read them (a job result is kept as one JSON value).
const RESULT_ORDER_LINES = 2000;

async function run(ctx: JobContext): Promise<JobOutcome> {
  if (ctx.data.asins !== undefined) {
    // a plan of a few SKUs would replace the week's plan of all of them
    throw new AppError('invalid', 'restock plans every SKU of the marketplace; --asins is not supported');
  }
  const { db, store, clock, config } = ctx.deps;
  ctx.progress({ stage: 'planning' });
  const r = await runRestock(
    { db, store, clock, config, log: ctx.log },
    { dryRun: ctx.dryRun, runId: ctx.runId },
  );
  if (!ctx.dryRun) await evaluateAfter({ db, clock, log: ctx.log }, 'restock');
  return {
    counts: { ...r.counts },
    reason: ctx.dryRun ? `dry run: plan ${r.week} computed, nothing written` : undefined,
    result: {
      week: r.week,
      plan_id: r.planId,
      csv_key: r.csvKey,
      total_cost: r.totalCost,
      currency: r.currency,
      order_lines: r.orders.length,
      orders: r.orders.slice(0, RESULT_ORDER_LINES).map((l) => ({
        sku: l.sku,
        asin: l.asin,
        vendor_id: l.vendor_id,
        vendor_name: l.vendor_name,
        qty: l.qty,
        unit_cost: l.unit_cost,
        line_cost: l.line_cost,
        days_to_stockout: l.days_to_stockout === null ? null : Number(l.days_to_stockout),
        reason: l.reason,
      })),
      orders_truncated: r.orders.length > RESULT_ORDER_LINES,
    },
  };
}

export const restockJob: JobDefinition = {
  name: 'restock',
  description: 'Weekly restock plan: order-up-to quantities per SKU, stored with a CSV (SPEC §9)',
  schedule: (config) => config.RESTOCK_CRON,
  retry: { limit: 1, delaySeconds: 300, backoff: false },
  expireInSeconds: 3600,
  handler: run,
};
