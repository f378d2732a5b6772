import type { Readable } from 'node:stream';
import type { Db } from '../../platform/db/pool.ts';
import { AppError } from '../../platform/errors.ts';
import type { ObjectStore } from '../../platform/storage/store.ts';
import * as read from './restock.read.repo.ts';

export type { LineFlag, LineSort, Order } from './restock.read.repo.ts';

/** Reading stored restock plans (GET /restock/plans…). */

export async function listPlans(db: Db, q: { page: number; page_size: number }) {
  const r = await read.listPlans(db.pool, q.page_size, (q.page - 1) * q.page_size);
  return { total: r.total, page: q.page, page_size: q.page_size, items: r.items };
}

async function planOrThrow(db: Db, id: number) {
  const plan = await read.getPlan(db.pool, id);
  if (!plan) throw new AppError('not_found', `restock plan ${id} does not exist`);
  return plan;
}

export interface PlanQuery {
  order_only: boolean;
  flag?: read.LineFlag;
  vendor_id?: number;
  sort: read.LineSort;
  order?: read.Order;
  page: number;
  page_size: number;
}

/** Figures that matter most when large (quantities, costs, velocity) read biggest first; the rest ascending. */
export function defaultOrder(sort: read.LineSort): read.Order {
  return sort === 'qty' || sort === 'line_cost' || sort === 'demand' ? 'desc' : 'asc';
}

/** The plan and one page of its lines; by default the most urgent (fewest days to stock-out) first. */
export async function planDetail(db: Db, id: number, q: PlanQuery) {
  const plan = await planOrThrow(db, id);
  const order = q.order ?? defaultOrder(q.sort);
  const lines = await read.planLines(db.pool, id, {
    orderOnly: q.order_only,
    flag: q.flag,
    vendorId: q.vendor_id,
    sort: q.sort,
    order,
    limit: q.page_size,
    offset: (q.page - 1) * q.page_size,
  });
  const now = await read.onOrderNow(
    db.pool,
    String(plan.marketplace),
    lines.items.map((l) => String(l.sku)),
  );
  const items = lines.items.map((l) => {
    const o = now.get(String(l.sku));
    return { ...l, on_order_now: o?.units ?? 0, open_po_ids: o?.po_ids ?? [] };
  });
  return {
    plan,
    lines: { total: lines.total, page: q.page, page_size: q.page_size, sort: q.sort, order, items },
  };
}

/** The plan's CSV as stored in object storage, with a download name. */
export async function planCsv(
  db: Db,
  store: ObjectStore,
  id: number,
): Promise<{ name: string; body: Readable }> {
  const plan = await planOrThrow(db, id);
  const body = await store.get(plan.csv_key);
  return { name: `restock-${String(plan.marketplace)}-${String(plan.week)}.csv`, body };
}
