import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/pool.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import { AppError } from '../../platform/errors.ts';
import { roiSettingsFrom, updateRoi } from '../roi/roi.service.ts';
import type { ItemCounts, VendorSettings } from './vendors.repo.ts';
import * as repo from './vendors.repo.ts';
import { STALE_PRICE_LIST_DAYS } from './vendors.service.ts';

/**
 * Editing the vendor settings ROI and restock read (SPEC §6, §9): country picks the freight lane of
 * the vendor's offers, currency is the one a price list without a currency column is read in, lead
 * time and MOQ are the defaults for items whose price list gives none.
 */

export const LEAD_TIME_MAX_DAYS = 365;
export const MOQ_MAX = 1_000_000;

export interface VendorPatch {
  country?: string | null;
  currency?: string | null;
  lead_time_days?: number | null;
  moq?: number | null;
  email?: string | null;
  dry_run?: boolean;
}

export interface Problem {
  field: string;
  value: unknown;
  message: string;
}

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const REGIONS = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
// Valid region codes that are not countries a vendor ships from (ICU names them all)
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'ZZ']);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const blank = (v: string | null | undefined) => v === null || v === undefined || v.trim() === '';

/** Checks and normalises a patch; every problem is listed (field, value, reason), none thrown. */
export function validatePatch(p: VendorPatch): { value: Partial<VendorSettings>; problems: Problem[] } {
  const problems: Problem[] = [];
  const value: Partial<VendorSettings> = {};
  if (p.country !== undefined) {
    let c = blank(p.country) ? null : p.country!.trim().toUpperCase();
    // Amazon says UK, freight lanes and ISO say GB
    if (c === 'UK') c = 'GB';
    if (c !== null && (!/^[A-Z]{2}$/.test(c) || NOT_COUNTRIES.has(c) || !REGIONS.of(c))) {
      problems.push({
        field: 'country',
        value: p.country,
        message: 'must be an ISO 3166-1 country code such as DE',
      });
    } else value.country = c;
  }
  if (p.currency !== undefined) {
    const c = blank(p.currency) ? null : p.currency!.trim().toUpperCase();
    if (c !== null && !CURRENCIES.has(c)) {
      problems.push({
        field: 'currency',
        value: p.currency,
        message: 'must be an ISO 4217 currency code such as EUR',
      });
    } else value.currency = c;
  }
  if (p.lead_time_days !== undefined) {
    const n = p.lead_time_days;
    if (n !== null && !(Number.isInteger(n) && n >= 0 && n <= LEAD_TIME_MAX_DAYS)) {
      problems.push({
        field: 'lead_time_days',
        value: n,
        message: `must be a whole number of days from 0 to ${LEAD_TIME_MAX_DAYS}`,
      });
    } else value.lead_time_days = n;
  }
  if (p.moq !== undefined) {
    const n = p.moq;
    if (n !== null && !(Number.isInteger(n) && n >= 0 && n <= MOQ_MAX)) {
      problems.push({
        field: 'moq',
        value: n,
        message: `must be a whole number of units from 0 to ${MOQ_MAX}`,
      });
    } else value.moq = n;
  }
  if (p.email !== undefined) {
    const e = blank(p.email) ? null : p.email!.trim();
    if (e !== null && (e.length > 320 || !EMAIL.test(e))) {
      problems.push({ field: 'email', value: p.email, message: 'must be an e-mail address' });
    } else value.email = e;
  }
  return { value, problems };
}

export interface Effect {
  field: string;
  what: 'roi' | 'restock' | 'import';
  count: number;
  message: string;
}

const n = (x: number) => x.toLocaleString('en-US');
const items = (x: number, one = 'item', many = 'items') => `${n(x)} ${x === 1 ? one : many}`;

/** What saving the changed fields does to the vendor's items, in the seller's words. */
export function effectsOf(before: VendorSettings, after: VendorSettings, c: ItemCounts): Effect[] {
  const out: Effect[] = [];
  if (before.country !== after.country) {
    out.push({
      field: 'country',
      what: 'roi',
      count: c.offers,
      message:
        `ROI of ${items(c.offers, 'offer', 'offers')} will be recomputed: ` +
        (after.country
          ? `freight on the lane from ${after.country}, else the default lane`
          : 'freight on the default lane'),
    });
  }
  if (before.currency !== after.currency) {
    const mix = c.by_currency.map((x) => `${n(x.n)} in ${x.currency}`).join(', ');
    out.push({
      field: 'currency',
      what: 'import',
      count: 0,
      message:
        `Applies to the next price list from this vendor that names no currency; ` +
        (c.prices > 0
          ? `the ${items(c.prices, 'current price', 'current prices')} keep theirs (${mix})`
          : 'no prices yet'),
    });
  }
  if (before.lead_time_days !== after.lead_time_days) {
    const lead =
      after.lead_time_days === null
        ? 'no vendor lead time (transit days only)'
        : `${n(after.lead_time_days)} days`;
    out.push({
      field: 'lead_time_days',
      what: 'restock',
      count: c.no_lead_time,
      message: `${n(c.no_lead_time)} of ${items(c.prices)} have no lead time of their own: the next restock plan and the repricer's stock guard use ${lead} for them`,
    });
  }
  if (before.moq !== after.moq) {
    const moq = after.moq ? `a minimum of ${items(after.moq, 'unit', 'units')}` : 'no minimum';
    out.push({
      field: 'moq',
      what: 'restock',
      count: c.no_moq,
      message: `${n(c.no_moq)} of ${items(c.prices)} have no MOQ of their own: the next restock plan orders them with ${moq}`,
    });
  }
  return out;
}

export interface SettingsDeps {
  db: Db;
  config: Config;
  clock: Clock;
}

/**
 * PATCH /vendors/{id}: validates (all problems at once, nothing written), then saves in one
 * transaction, rolled back for a dry run. A saved country change recomputes ROI at once: the
 * freight lane of every offer of the vendor depends on it.
 */
export async function updateVendor(deps: SettingsDeps, id: number, patch: VendorPatch) {
  const { value, problems } = validatePatch(patch);
  if (problems.length > 0) {
    const list = problems.map((p) => `${p.field} ${JSON.stringify(p.value)}: ${p.message}`).join('; ');
    throw new AppError('invalid', `vendor not saved: ${list}`, problems);
  }
  const dryRun = patch.dry_run ?? true;
  const now = deps.clock.now();
  const out = await withTransaction(
    deps.db,
    async (c) => {
      const before = await repo.lockSettings(c, id);
      if (!before) throw new AppError('not_found', `no vendor ${id}`);
      const after: VendorSettings = { ...before, ...value };
      const changes = (Object.keys(value) as (keyof VendorSettings)[])
        .filter((k) => before[k] !== after[k])
        .map((k) => ({ field: k, from: before[k], to: after[k] }));
      const effects = effectsOf(before, after, await repo.itemCounts(c, id));
      if (changes.length > 0) await repo.saveSettings(c, id, after, now);
      return { changes, effects };
    },
    { rollback: dryRun },
  );
  const roiRecomputed = !dryRun && out.effects.some((e) => e.what === 'roi');
  if (roiRecomputed) {
    await updateRoi(deps.db, {
      settings: roiSettingsFrom(deps.config),
      reason: 'vendor',
      clock: deps.clock,
    });
  }
  const vendor = await repo.vendorRow(deps.db.pool, id, now, STALE_PRICE_LIST_DAYS);
  return {
    dry_run: dryRun,
    vendor: dryRun ? { ...vendor!, ...value } : vendor!,
    ...out,
    roi_recomputed: roiRecomputed,
  };
}
