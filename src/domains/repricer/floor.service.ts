import { AppError } from '../../platform/errors.ts';
import { formatMinor, minorDigits, toMinor, toRatio } from '../../platform/money.ts';
import { priceAtRoiMinor } from './economics.ts';
import type { InputRow } from './inputs.repo.ts';
import { planListing, type RepricerSettings, settingsFrom } from './plan.ts';
import { type PricingDeps, rowsFor, unknown } from './pricing.service.ts';
import { putRules } from './rules.service.ts';

export interface RaiseFloorInput {
  sku: string;
  /** The ROI the floor must keep, in percent (e.g. the inbox's target, 12). */
  roi_pct: number;
  marketplace?: string;
  dry_run?: boolean;
}

export interface RaisedFloor {
  sku: string;
  marketplace: string;
  roi_pct: number;
  /** The rule's min_price before and after; unchanged when it already kept that ROI. */
  old_min: string | null;
  new_min: string;
  changed: boolean;
  dry_run: boolean;
}

/**
 * The price at which a listing earns `roiPct` %, by the function the repricer's own floor uses (so
 * the raised floor means the ROI it says); refused, as a manual price is, without complete fees.
 */
function priceAtRoi(row: InputRow, s: RepricerSettings, roiPct: number): bigint {
  const d = planListing(row, s);
  if (d.error) throw new AppError('conflict', `sku ${row.sku}: ${d.reason}`);
  const at = priceAtRoiMinor(row, s, String(roiPct / 100));
  if (at === 'no_landed_cost')
    throw new AppError('conflict', `sku ${row.sku} has no landed cost: the price at an ROI is unknown`);
  if (at === 'no_revenue')
    throw new AppError('conflict', `sku ${row.sku}: the referral fee leaves no revenue at any price`);
  return at;
}

/**
 * Raises a listing's repricer floor (its rule's min_price) to the price at `roi_pct` % ROI, keeping
 * the rest of its rule; never lowers it. Saved through the rules service, with its checks and dry run.
 */
export async function raiseFloor(
  deps: PricingDeps,
  input: RaiseFloorInput,
  by: string,
): Promise<RaisedFloor> {
  const s = settingsFrom(deps.config);
  if (input.marketplace && input.marketplace !== s.marketplace) {
    throw new AppError(
      'conflict',
      `the repricer prices marketplace ${s.marketplace}; sku ${input.sku} in ${input.marketplace} has no floor to raise here`,
    );
  }
  if (!(Number.isFinite(input.roi_pct) && input.roi_pct > -99 && input.roi_pct <= 1000))
    throw new AppError(
      'invalid',
      `roi_pct ${input.roi_pct} is not an ROI in percent (above −99, at most 1000)`,
      [{ field: 'roi_pct', message: 'an ROI in percent' }],
    );
  const row = (await rowsFor(deps, s, [input.sku])).get(input.sku);
  if (!row) throw new AppError('not_found', unknown(input.sku, s.marketplace).error);
  const digits = minorDigits(s.currency);
  const at = priceAtRoi(row, s, input.roi_pct);
  const oldU = row.min_price === null ? undefined : toMinor(toRatio(row.min_price)!, digits);
  const changed = oldU === undefined || at > oldU;
  const newMin = formatMinor(changed ? at : oldU!, digits);
  const dryRun = input.dry_run === true;
  if (changed) {
    if (row.max_price !== null && toMinor(toRatio(row.max_price)!, digits) < at) {
      throw new AppError(
        'conflict',
        `sku ${input.sku}: the price at ${input.roi_pct} % ROI, ${formatMinor(at, digits)}, is above its rule's max_price ` +
          `${row.max_price}; raise the max first`,
      );
    }
    await putRules(deps.db, {
      rules: [
        {
          sku: row.sku,
          min_price: newMin,
          max_price: row.max_price,
          map_price: row.map_price,
          strategy: row.strategy,
          step: row.step,
          enabled: row.enabled ?? true,
        },
      ],
      dry_run: dryRun,
      by,
      marketplace: s.marketplace,
    });
  }
  return {
    sku: row.sku,
    marketplace: s.marketplace,
    roi_pct: input.roi_pct,
    old_min: row.min_price,
    new_min: newMin,
    changed,
    dry_run: dryRun,
  };
}
