import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/pool.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import { AppError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import { apply as applyPrices } from '../repricer/apply.service.ts';
import { raiseFloor } from '../repricer/floor.service.ts';
import type { PricingDeps } from '../repricer/pricing.service.ts';
import { type CreatePoInput, createPo } from '../restock/purchase-orders.service.ts';
import { approve } from '../roi/decisions.service.ts';
import type { Decision } from '../roi/roi.service.ts';
import * as repo from './tasks.repo.ts';
import type { Task, TaskAction } from './tasks.types.ts';

export interface ActDeps {
  db: Db;
  clock: Clock;
  config: Config;
  log?: Logger;
  submitter?: PricingDeps['submitter'];
}

export interface ActInput {
  /** 'default' or the index of an alternative. */
  action?: 'default' | number;
  dry_run?: boolean;
  note?: string;
}

function chosen(task: Task, which: 'default' | number): TaskAction {
  if (!task.action) throw new AppError('conflict', `task ${task.id} has no action`);
  if (which === 'default') return task.action.default;
  const alt = task.action.alternatives[which];
  if (!alt)
    throw new AppError('invalid', `task ${task.id} has no alternative ${which}`, [
      { field: 'action', message: `0…${task.action.alternatives.length - 1} or "default"` },
    ]);
  return alt;
}

/** Runs an action through the service that owns it, with its dry run; returns that service's answer. */
async function run(
  deps: ActDeps,
  task: Task,
  a: TaskAction,
  dryRun: boolean,
  actor: string,
): Promise<unknown> {
  // written by the rules' SQL (rules/*.repo.ts); each service checks them again
  const p = a.params as {
    sku: string;
    price: string;
    vendor_id: number;
    marketplace: string;
    lines: CreatePoInput['lines'];
    asin: string;
    status: Decision;
    roi_pct: number;
  };
  switch (a.kind) {
    case 'apply_price':
      return applyPrices(deps, { items: [{ sku: p.sku, price: p.price }], dry_run: dryRun, actor });
    case 'create_po':
      return createPo(
        deps,
        {
          vendor_id: p.vendor_id,
          marketplace: p.marketplace,
          lines: p.lines,
          note: `from task #${task.id}`,
          dry_run: dryRun,
        },
        actor,
        deps.config.AWA_MARKETPLACE,
      );
    case 'raise_floor':
      return raiseFloor(
        deps,
        { sku: p.sku, marketplace: p.marketplace, roi_pct: Number(p.roi_pct), dry_run: dryRun },
        actor,
      );
    case 'set_product_status':
      return approve(
        deps.db,
        { asins: [p.asin], status: p.status, dry_run: dryRun },
        { by: actor, now: deps.clock.now() },
      );
    default:
      throw new AppError('invalid', `"${a.label}" is a link for the app to follow, not something to run`, [
        { field: 'action', message: `${a.kind} cannot be run` },
      ]);
  }
}

/**
 * Acts on an active task: runs its default action (or an alternative) through the owning service,
 * which applies its own checks and dry run. A real run records an `acted` event with the service's
 * answer and closes the task as done; a dry run changes nothing.
 */
export async function act(deps: ActDeps, id: number, input: ActInput, actor: string) {
  const task = await repo.getTask(deps.db.pool, id);
  if (!task) throw new AppError('not_found', `task ${id} not found`);
  if (task.state !== 'open' && task.state !== 'snoozed')
    throw new AppError(
      'conflict',
      `task ${id} is ${task.state}: only an open or snoozed task can be acted on`,
    );
  const a = chosen(task, input.action ?? 'default');
  const dryRun = input.dry_run === true;
  const result = await run(deps, task, a, dryRun, actor);
  if (dryRun) return { dry_run: true, task, action: a, result };
  const done = await withTransaction(deps.db, async (c) => {
    const now = deps.clock.now();
    const current = await repo.getTask(c, id, true);
    await repo.addEvent(c, {
      task_id: id,
      at: now,
      kind: 'acted',
      actor,
      note: input.note ?? null,
      after: { action: a.kind, params: a.params, result },
    });
    // a person may have closed it meanwhile: the action stands, the state stays theirs
    if (current && (current.state === 'open' || current.state === 'snoozed')) {
      await repo.setState(c, id, 'done', null, now);
      await repo.addEvent(c, {
        task_id: id,
        at: now,
        kind: 'transition',
        actor,
        note: `${a.label} done`,
        before: { state: current.state },
        after: { state: 'done' },
      });
    }
    return (await repo.getTask(c, id))!;
  });
  return { dry_run: false, task: done, action: a, result };
}
