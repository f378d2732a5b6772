import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import { AppError } from '../../platform/errors.ts';
import * as repo from './thresholds.repo.ts';
import { isThresholdKey, THRESHOLD_KEYS, THRESHOLDS } from './thresholds.ts';

export interface ThresholdView {
  key: string;
  value: number;
  default: number;
  min: number;
  max: number;
  integer: boolean;
  unit: string | null;
  description: string;
  updated_by: string | null;
  updated_at: string | null;
}

export async function listThresholds(deps: { db: Db }): Promise<ThresholdView[]> {
  const set = new Map((await repo.readThresholds(deps.db.pool)).map((r) => [r.key, r]));
  return THRESHOLD_KEYS.map((key) => {
    const d: {
      default: number;
      min: number;
      max: number;
      integer?: boolean;
      unit?: string;
      description: string;
    } = THRESHOLDS[key];
    const row = set.get(key);
    return {
      key,
      value: row?.value ?? d.default,
      default: d.default,
      min: d.min,
      max: d.max,
      integer: d.integer === true,
      unit: d.unit ?? null,
      description: d.description,
      updated_by: row?.updated_by ?? null,
      updated_at: row?.updated_at.toISOString() ?? null,
    };
  });
}

/**
 * Sets thresholds (null: back to the default), all or none: an unknown key or a value out of its
 * range rejects the whole change, naming each field. The rules read them at their next evaluation.
 */
export async function setThresholds(
  deps: { db: Db; clock: Clock },
  values: Record<string, number | null>,
  by: string,
  dryRun = false,
): Promise<ThresholdView[]> {
  const problems: { field: string; message: string }[] = [];
  const set: { key: string; value: number }[] = [];
  const reset: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    if (!isThresholdKey(key)) {
      problems.push({ field: key, message: 'not a threshold' });
      continue;
    }
    if (value === null) {
      reset.push(key);
      continue;
    }
    const d: { min: number; max: number; integer?: boolean } = THRESHOLDS[key];
    if (!Number.isFinite(value) || value < d.min || value > d.max)
      problems.push({ field: key, message: `${value} is outside ${d.min}…${d.max}` });
    else if (d.integer && !Number.isInteger(value))
      problems.push({ field: key, message: `${value} is not a whole number` });
    else set.push({ key, value });
  }
  if (problems.length > 0) {
    const first = problems[0]!;
    throw new AppError('invalid', `invalid threshold ${first.field}: ${first.message}`, problems);
  }
  if (!dryRun)
    await withTransaction(deps.db, async (c) => {
      if (set.length) await repo.writeThresholds(c, set, by, deps.clock.now());
      if (reset.length) await repo.deleteThresholds(c, reset);
    });
  const views = await listThresholds(deps);
  if (!dryRun) return views;
  const asked = new Map(set.map((s) => [s.key, s.value]));
  return views.map((v) =>
    asked.has(v.key)
      ? { ...v, value: asked.get(v.key)! }
      : reset.includes(v.key)
        ? { ...v, value: v.default }
        : v,
  );
}
