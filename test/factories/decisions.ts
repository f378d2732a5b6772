import { randomUUID } from 'node:crypto';
import { insertProduct, nextSeq, poolOf, type Target } from './catalog.ts';
import { insertBuybox } from './market.ts';
import { insertSellerSku } from './restock.ts';

/**
 * Rows the decision rules read that no other factory writes: fee history, repricer decisions and
 * the prices set after them, restock plans, customer returns of a SKU and agent runs. Times are
 * explicit so a test can place them relative to its injected clock.
 */

export interface FeesHistoryInput {
  asin: string;
  captured_at: Date | string;
  marketplace?: string;
  referral?: string | null;
  fulfilment?: string | null;
  storage?: string | null;
  other?: string | null;
  currency?: string;
  source?: string;
}

/** One fees_history point; defaults 3.00 + 3.50 + 0.20 EUR, as insertFees. */
export async function insertFeesHistory(t: Target, f: FeesHistoryInput): Promise<void> {
  await poolOf(t).query(
    `INSERT INTO fees_history (marketplace, asin, captured_at, referral, fulfilment, storage, other, currency, source)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      f.marketplace ?? 'DE',
      f.asin,
      f.captured_at,
      f.referral === undefined ? '3.00' : f.referral,
      f.fulfilment === undefined ? '3.50' : f.fulfilment,
      f.storage === undefined ? '0.20' : f.storage,
      f.other ?? null,
      f.currency ?? 'EUR',
      f.source ?? 'manual',
    ],
  );
}

export interface RepricerDecisionInput {
  sku: string;
  asin?: string | null;
  old_price?: string | null;
  final_price?: string | null;
  proposed?: string | null;
  floor?: string | null;
  buybox?: string | null;
  guards?: string[];
  changed?: boolean;
  skipped?: boolean;
  error?: boolean;
  reason?: string;
}

/** One repricer run: a repricer_log row per decision, all at `created_at`. Returns the run id. */
export async function insertRepricerRun(
  t: Target,
  r: {
    created_at: Date | string;
    mode?: 'dry_run' | 'apply' | 'live';
    marketplace?: string;
    currency?: string;
    decisions: RepricerDecisionInput[];
  },
): Promise<string> {
  const runId = randomUUID();
  for (const d of r.decisions) {
    await poolOf(t).query(
      `INSERT INTO repricer_log (run_id, marketplace, sku, asin, currency, old_price, proposed, final_price, floor,
         buybox, strategy, guards, changed, skipped, error, mode, reason, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'beat_buybox', $11, $12, $13, $14, $15, $16, $17)`,
      [
        runId,
        r.marketplace ?? 'DE',
        d.sku,
        d.asin ?? null,
        r.currency ?? 'EUR',
        d.old_price === undefined ? '20.00' : d.old_price,
        d.proposed === undefined ? (d.final_price ?? '19.49') : d.proposed,
        d.final_price === undefined ? '19.49' : d.final_price,
        d.floor === undefined ? '15.00' : d.floor,
        d.buybox === undefined ? '19.50' : d.buybox,
        d.guards ?? [],
        d.changed ?? true,
        d.skipped ?? false,
        d.error ?? false,
        r.mode ?? 'dry_run',
        d.reason ?? 'beat the buy box by 0.01',
        r.created_at,
      ],
    );
  }
  return runId;
}

/** A price set for a SKU (our price book), as the repricer in apply mode or a person writes it. */
export async function insertPriceUpdate(
  t: Target,
  u: {
    sku: string;
    new_price: string;
    created_at: Date | string;
    marketplace?: string;
    submission_status?: 'not_submitted' | 'pending' | 'accepted' | 'rejected' | 'failed';
    mode?: 'apply' | 'live' | 'manual';
  },
): Promise<void> {
  await poolOf(t).query(
    `INSERT INTO price_updates_log (marketplace, sku, currency, new_price, actor, mode, submission_status,
       created_at, updated_at)
     VALUES ($1, $2, 'EUR', $3, 'test', $4, $5, $6, $6)`,
    [
      u.marketplace ?? 'DE',
      u.sku,
      u.new_price,
      u.mode ?? 'manual',
      u.submission_status ?? 'not_submitted',
      u.created_at,
    ],
  );
}

export interface PlanLineInput {
  sku: string;
  vendor_id: number | null;
  vendor_name?: string | null;
  asin?: string | null;
  qty: number;
  unit_cost?: string;
  days_to_stockout?: number | null;
  lead_time_days?: number;
}

/** A restock plan as the planner stores it, with the columns the reorder rule reads filled. */
export async function insertRestockPlan(
  t: Target,
  p: { updated_at: Date | string; marketplace?: string; week?: string; lines: PlanLineInput[] },
): Promise<{ id: number }> {
  const pool = poolOf(t);
  const { rows } = await pool.query(
    `INSERT INTO restock_plans (marketplace, week, params, counts, currency, csv_key, created_at, updated_at)
     VALUES ($1, $2, '{}', '{}', 'EUR', 'restock/test.csv', $3, $3) RETURNING id`,
    [p.marketplace ?? 'DE', p.week ?? `2031-W${String((nextSeq() % 52) + 1).padStart(2, '0')}`, p.updated_at],
  );
  const id = Number(rows[0].id);
  for (const l of p.lines) {
    const cost = l.unit_cost ?? '10.0000';
    await pool.query(
      `INSERT INTO restock_plan_lines (plan_id, sku, asin, vendor_id, vendor_name, vendor_sku, demand, sigma,
         lead_time_days, safety_stock, reorder_point, order_up_to, on_hand, inbound, on_order, position, qty,
         case_pack, moq, unit_cost, line_cost, days_of_cover, days_to_stockout, overstock, history_days,
         in_stock_days, reason)
       VALUES ($1, $2, $3, $4, $5, $6, 2, 1, $7, 5, 40, 110, 20, 0, 0, 20, $8::int, 1, 0, $9::numeric, $9::numeric * $8::int, $10::numeric,
               $10::numeric, false, 90, 90, 'position at or below the reorder point')`,
      [
        id,
        l.sku,
        l.asin ?? null,
        l.vendor_id,
        l.vendor_name ?? null,
        `V-${l.sku}`,
        l.lead_time_days ?? 14,
        l.qty,
        cost,
        l.days_to_stockout === undefined ? 30 : l.days_to_stockout,
      ],
    );
  }
  return { id };
}

/** A customer return of a seller SKU. */
export async function insertSkuReturn(
  t: Target,
  r: {
    sku: string;
    return_date: Date | string;
    quantity?: number;
    asin?: string | null;
    marketplace?: string;
  },
): Promise<void> {
  const n = nextSeq();
  await poolOf(t).query(
    `INSERT INTO returns_raw (order_id, sku, license_plate_number, return_date, marketplace, asin, quantity, load_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 0)`,
    [`R-${n}`, r.sku, `LPN${n}`, r.return_date, r.marketplace ?? 'DE', r.asin ?? null, r.quantity ?? 1],
  );
}

export interface AgentRunInput {
  agent: string;
  started_at: Date | string;
  status?: 'running' | 'success' | 'failed' | 'skipped' | 'tripped';
  dry_run?: boolean;
  trigger?: 'manual' | 'schedule' | 'api';
  error?: string | null;
  reason?: string | null;
}

export async function insertAgentRun(t: Target, r: AgentRunInput): Promise<{ id: string }> {
  const { rows } = await poolOf(t).query(
    `INSERT INTO agent_runs (agent, status, dry_run, trigger, error, reason, started_at, finished_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $2 <> 'running' THEN $7::timestamptz END) RETURNING id`,
    [
      r.agent,
      r.status ?? 'success',
      r.dry_run ?? false,
      r.trigger ?? 'schedule',
      r.error ?? null,
      r.reason ?? null,
      r.started_at,
    ],
  );
  return { id: rows[0].id };
}

/** Every task of a type, oldest first: what the rules tests check after an evaluation. */
export async function tasksOfType(t: Target, type: string) {
  const { rows } = await poolOf(t).query(
    'SELECT id::int, state, severity, title, dedup_key FROM tasks WHERE type = $1 ORDER BY id',
    [type],
  );
  return rows;
}

/** The open or snoozed ones among them. */
export async function activeOfType(t: Target, type: string) {
  return (await tasksOfType(t, type)).filter(
    (x: { state: string }) => x.state === 'open' || x.state === 'snoozed',
  );
}

/** An ASIN the seller sells (an active listing), with buy-box points [price, when]. */
export async function insertSoldAsin(
  t: Target,
  points: Array<[string, Date]>,
  sku?: string,
): Promise<{ asin: string; sku: string }> {
  const { asin } = await insertProduct(t);
  const listing = await insertSellerSku(t, { asin, sku });
  for (const [price, at] of points) await insertBuybox(t, { asin, price, captured_at: at });
  return { asin, sku: listing.sku };
}
