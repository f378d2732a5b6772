import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import { AppError } from '../../platform/errors.ts';
import { GOOD_ROI_PCT } from '../roi/roi.service.ts';
import * as repo from './preferences.repo.ts';

/**
 * A person's own settings (thresholds that colour the tables, locale) and saved views, keyed on the
 * principal's name: an API token's name or a signed-in user's e-mail.
 */

export interface PreferencesDeps {
  db: Db;
  clock: Clock;
}

export type Preferences = repo.PreferencesRow;
export type ViewItem = repo.ViewRow;

/** Until a person saves their own: the ROI the product calls good, any profit, any rank, the browser's locale. */
export const DEFAULT_PREFERENCES: Preferences = Object.freeze({
  min_roi_pct: GOOD_ROI_PCT,
  min_profit: 0,
  max_sales_rank: null,
  locale: null,
});

export async function getPreferences(deps: PreferencesDeps, owner: string): Promise<Preferences> {
  return (await repo.preferencesOf(deps.db.pool, owner)) ?? { ...DEFAULT_PREFERENCES };
}

function invalid(field: string, value: unknown, message: string): AppError {
  return new AppError('invalid', `invalid request: ${field} (${JSON.stringify(value)}) ${message}`, [
    { field, message },
  ]);
}

/** A locale tag the browser's Intl accepts (de-DE, en-GB, fr…), in its canonical spelling. */
function canonicalLocale(tag: string): string {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    if (canonical) return canonical;
  } catch {
    // RangeError: not a well-formed language tag
  }
  throw invalid('locale', tag, 'is not a language tag such as de-DE or en-GB');
}

const hasCents = (n: number) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6;

/**
 * Validates and stores the person's settings; a field left out keeps its stored (or default) value.
 * Returns what is stored now.
 */
export async function putPreferences(
  deps: PreferencesDeps,
  owner: string,
  input: Partial<Preferences>,
): Promise<Preferences> {
  const next = { ...(await getPreferences(deps, owner)), ...input };
  if (!hasCents(next.min_profit)) {
    throw invalid('min_profit', next.min_profit, 'has more than 2 decimals (it is money)');
  }
  if (next.locale !== null) next.locale = canonicalLocale(next.locale);
  await repo.savePreferences(deps.db.pool, owner, next, deps.clock.now());
  return next;
}

export async function listViews(deps: PreferencesDeps, owner: string, page?: string) {
  return { items: await repo.viewsOf(deps.db.pool, owner, page) };
}

export async function createView(
  deps: PreferencesDeps,
  owner: string,
  input: { page: string; name: string; params: string },
): Promise<ViewItem> {
  const name = input.name.trim();
  if (name.length === 0) throw invalid('name', input.name, 'is blank');
  // the URL's query string as the page reads it: a leading '?' is the URL's, not the view's
  const params = input.params.replace(/^\?/, '');
  const view = await repo.insertView(deps.db.pool, {
    owner,
    page: input.page,
    name,
    params,
    at: deps.clock.now(),
  });
  if (!view) {
    throw new AppError('conflict', `you already have a view named "${name}" on page ${input.page}`, {
      page: input.page,
      name,
    });
  }
  return view;
}

export async function deleteView(deps: PreferencesDeps, owner: string, id: number): Promise<void> {
  // another person's view answers like a missing one: its existence is not theirs to learn
  if (!(await repo.deleteView(deps.db.pool, owner, id)))
    throw new AppError('not_found', `you have no view ${id}`);
}
