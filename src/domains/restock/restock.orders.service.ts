import type { Db } from '../../platform/db/pool.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import { AppError } from '../../platform/errors.ts';
import * as po from './purchase-orders.repo.ts';
import { fromScaled, toScaled } from './restock.plan.ts';
import * as read from './restock.read.repo.ts';
import { roundOrderQty } from './restock.rounding.ts';

/**
 * Purchase orders from a restock plan: the chosen lines, one order per vendor, all or none (one
 * transaction). A quantity the buyer typed is rounded the planner's way (whole cases, at least the
 * MOQ), so what is ordered is what the page showed while typing. Dry run (the default) answers the
 * orders that would be placed and writes nothing.
 */

export interface FromPlanInput {
  lines?: { sku: string; qty?: number }[];
  /** Every line the plan orders, with `lines` overriding their quantities. */
  all_order_lines?: boolean;
  reference?: string;
  expected_at?: string;
  dry_run?: boolean;
}

type Problem = { field: string; message: string };

interface Wanted {
  line: read.PlanLineRow;
  /** Units asked for before rounding (the plan's suggestion when none was typed). */
  wanted: number;
}

function pick(input: FromPlanInput, planLines: read.PlanLineRow[], all: read.PlanLineRow[]): Wanted[] {
  const errors: Problem[] = [];
  const bySku = new Map(planLines.map((l) => [l.sku, l]));
  const typed = new Map<string, number | undefined>();
  (input.lines ?? []).forEach((r, i) => {
    const line = bySku.get(r.sku);
    if (typed.has(r.sku))
      errors.push({ field: `lines[${i}].sku`, message: `${r.sku} appears more than once` });
    else if (!line) errors.push({ field: `lines[${i}].sku`, message: `${r.sku} is not in this plan` });
    else if (line.vendor_id === null) {
      errors.push({
        field: `lines[${i}].sku`,
        message: `${r.sku} has no vendor offer: no one to order from`,
      });
    } else if (r.qty === undefined && line.qty === 0) {
      errors.push({ field: `lines[${i}].qty`, message: `the plan orders no ${r.sku}: give a quantity > 0` });
    }
    typed.set(r.sku, r.qty);
  });
  if (!input.all_order_lines && typed.size === 0 && errors.length === 0) {
    errors.push({ field: 'lines', message: 'choose at least one line (or all_order_lines: true)' });
  }
  if (errors.length > 0) {
    throw new AppError(
      'invalid',
      `invalid order from the plan: ${errors[0]!.field} ${errors[0]!.message}`,
      errors,
    );
  }
  const chosen = input.all_order_lines ? all.filter((l) => l.vendor_id !== null) : [];
  const seen = new Set(chosen.map((l) => l.sku));
  for (const sku of typed.keys()) if (!seen.has(sku)) chosen.push(bySku.get(sku)!);
  return chosen.map((line) => ({ line, wanted: typed.get(line.sku) ?? line.qty }));
}

export async function ordersFromPlan(db: Db, planId: number, input: FromPlanInput, by: string) {
  const dryRun = input.dry_run !== false;
  const plan = await read.getPlan(db.pool, planId);
  if (!plan) throw new AppError('not_found', `restock plan ${planId} does not exist`);
  const week = String(plan['week']);
  const marketplace = String(plan['marketplace']);
  return withTransaction(
    db,
    async (q) => {
      const skus = (input.lines ?? []).map((l) => l.sku);
      const [some, all] = await Promise.all([
        read.linesBySku(q, planId, skus),
        input.all_order_lines ? read.orderLines(q, planId) : Promise.resolve([]),
      ]);
      const chosen = pick(input, [...some, ...all], all);
      const byVendor = new Map<number, Wanted[]>();
      for (const w of chosen) {
        const v = Number(w.line.vendor_id);
        byVendor.set(v, [...(byVendor.get(v) ?? []), w]);
      }
      const vendors = [...byVendor.entries()].sort(([, a], [, b]) =>
        String(a[0]!.line.vendor_name).localeCompare(String(b[0]!.line.vendor_name)),
      );
      const orders = [];
      let units = 0;
      let cost = 0n;
      for (const [vendorId, wanted] of vendors) {
        const lines = wanted
          .map((w) => {
            const r = roundOrderQty(w.wanted, w.line.case_pack, w.line.moq);
            const lineCost = w.line.unit_cost === null ? null : toScaled(w.line.unit_cost) * BigInt(r.qty);
            return {
              sku: w.line.sku,
              asin: w.line.asin,
              vendor_sku: w.line.vendor_sku,
              wanted: w.wanted,
              qty: r.qty,
              cases: r.cases,
              case_pack: r.casePack,
              moq: r.moq,
              raised_to_moq: r.raisedToMoq,
              unit_cost: w.line.unit_cost,
              line_cost: lineCost === null ? null : fromScaled(lineCost),
              scaled: lineCost,
            };
          })
          .sort((a, b) => a.sku.localeCompare(b.sku));
        const id = await po.insertPo(q, {
          vendor_id: vendorId,
          marketplace,
          reference: input.reference ?? `Restock ${week}`,
          expected_at: input.expected_at ?? null,
          note: `from the restock plan ${marketplace} ${week}`,
          created_by: by,
          lines: lines.map((l) => ({ sku: l.sku, asin: l.asin, qty: l.qty, unit_cost: l.unit_cost })),
        });
        const orderUnits = lines.reduce((n, l) => n + l.qty, 0);
        const orderCost = lines.reduce((n, l) => n + (l.scaled ?? 0n), 0n);
        units += orderUnits;
        cost += orderCost;
        orders.push({
          id: dryRun ? null : id,
          vendor_id: vendorId,
          vendor_name: String(wanted[0]!.line.vendor_name),
          units: orderUnits,
          total_cost: fromScaled(orderCost),
          lines: lines.map(({ scaled: _s, ...l }) => l),
        });
      }
      return {
        dry_run: dryRun,
        plan_id: planId,
        currency: String(plan['currency']),
        count: orders.length,
        units,
        total_cost: fromScaled(cost),
        orders,
      };
    },
    { rollback: dryRun },
  );
}
