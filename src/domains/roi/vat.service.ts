import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/pool.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import { AppError } from '../../platform/errors.ts';
import { roiSettingsFrom, updateRoi } from './roi.service.ts';
import * as repo from './vat.repo.ts';
import {
  type VatProblem,
  type VatRate,
  type VatRateInput,
  validateVatRate,
  validateVatTarget,
  vatPolicy,
} from './vat.ts';

/** The VAT ROI and the repricer use (SPEC §6): the marketplace's policy and its reduced rates. */

export interface VatDeps {
  db: Db;
  config: Config;
  clock?: Clock;
}

export async function listVat(deps: VatDeps) {
  const { config } = deps;
  const policy = vatPolicy(config);
  return {
    marketplace: config.AWA_MARKETPLACE,
    rate: policy.rate,
    rate_source: config.VAT_RATE === undefined ? 'marketplace' : 'VAT_RATE',
    registered: policy.registered,
    reduced: await repo.listVatRates(deps.db.pool, config.AWA_MARKETPLACE),
  };
}

export interface SaveVatResult {
  dry_run: boolean;
  rates: number;
  inserted: number;
  updated: number;
  unchanged: number;
}

/**
 * Sets reduced rates for categories or ASINs (all or none: one bad entry refuses the request with
 * every problem listed), then refreshes ROI so every figure uses them at once.
 */
export async function setVatRates(
  deps: VatDeps,
  input: { rates: VatRateInput[]; dry_run?: boolean },
): Promise<SaveVatResult> {
  const problems: (VatProblem & { index: number })[] = [];
  const rates: VatRate[] = [];
  const seen = new Map<string, number>();
  input.rates.forEach((raw, index) => {
    const { rate, problems: p } = validateVatRate(raw);
    for (const x of p) problems.push({ index, ...x });
    if (!rate) return;
    const k = `${rate.scope}:${rate.key.toLowerCase()}`;
    const first = seen.get(k);
    if (first !== undefined) {
      problems.push({ index, field: 'key', value: rate.key, reason: `duplicate of rates[${first}]` });
    }
    seen.set(k, index);
    rates.push(rate);
  });
  if (problems.length > 0) {
    const list = problems.map((p) => `rates[${p.index}].${p.field} "${p.value}": ${p.reason}`).join('; ');
    throw new AppError('invalid', `no VAT rate saved: ${list}`, problems);
  }
  const dryRun = input.dry_run ?? false;
  const n = await withTransaction(deps.db, (c) => repo.saveVatRates(c, deps.config.AWA_MARKETPLACE, rates), {
    rollback: dryRun,
  });
  if (!dryRun && n.inserted + n.updated > 0) await refresh(deps);
  return { dry_run: dryRun, rates: rates.length, ...n, unchanged: rates.length - n.inserted - n.updated };
}

export async function removeVatRate(
  deps: VatDeps,
  input: { scope: string; key: string; dry_run?: boolean },
): Promise<{ dry_run: boolean; removed: number }> {
  const { target, problems } = validateVatTarget(input);
  if (!target)
    throw new AppError('invalid', `invalid ${problems.map((p) => `${p.field}: ${p.reason}`).join('; ')}`);
  const dryRun = input.dry_run ?? false;
  const removed = await withTransaction(
    deps.db,
    (c) => repo.deleteVatRate(c, deps.config.AWA_MARKETPLACE, target.scope, target.key),
    { rollback: dryRun },
  );
  if (removed === 0)
    throw new AppError('not_found', `no reduced VAT rate for ${target.scope} "${target.key}"`);
  if (!dryRun) await refresh(deps);
  return { dry_run: dryRun, removed };
}

async function refresh(deps: VatDeps): Promise<void> {
  await updateRoi(deps.db, { settings: roiSettingsFrom(deps.config), reason: 'vat', clock: deps.clock });
}
