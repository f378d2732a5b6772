import type { Config } from '../../platform/config.ts';

/**
 * VAT as a seller on Amazon pays it. On Amazon's European storefronts (and the others below) the
 * price a buyer sees includes VAT; in the US, Canada and Mexico Amazon collects sales tax on top of
 * the price, so the price is the seller's. A VAT-registered seller (nearly every wholesale business)
 * keeps only the net price and reclaims the VAT on purchases, so vendor costs count net; a seller who
 * is not registered keeps the gross price and pays the VAT on purchases as a cost.
 */

/** Standard rates in force in 2026 (national tax authorities; the UK's is HMRC's). */
export const STANDARD_VAT_RATES: Readonly<Record<string, number>> = {
  DE: 0.19,
  FR: 0.2,
  IT: 0.22,
  ES: 0.21,
  NL: 0.21,
  BE: 0.21,
  PL: 0.23,
  SE: 0.25,
  IE: 0.23,
  UK: 0.2,
  TR: 0.2,
  US: 0,
  CA: 0,
  MX: 0,
};

export interface VatPolicy {
  /** The marketplace's rate as a fraction (0.19); reduced rates per category or ASIN come on top. */
  rate: number;
  registered: boolean;
}

/**
 * `VAT_RATE` wins; otherwise the marketplace's standard rate (0 for a marketplace not in the table).
 * `VAT_REGISTERED` wins; otherwise a seller is taken as registered wherever prices include VAT.
 */
export function vatPolicy(
  config: Pick<Config, 'AWA_MARKETPLACE' | 'VAT_RATE' | 'VAT_REGISTERED'>,
): VatPolicy {
  const rate = config.VAT_RATE ?? STANDARD_VAT_RATES[config.AWA_MARKETPLACE] ?? 0;
  return { rate, registered: config.VAT_REGISTERED ?? rate > 0 };
}

export const VAT_SCOPES = ['category', 'asin'] as const;
export type VatScope = (typeof VAT_SCOPES)[number];

export interface VatRateInput {
  scope: string;
  key: string;
  rate: number | string;
  note?: string | null;
}

export interface VatRate {
  scope: VatScope;
  key: string;
  /** Exact decimal text, as stored (numeric(6, 4)). */
  rate: string;
  note: string | null;
}

export interface VatProblem {
  field: string;
  value: string;
  reason: string;
}

const RATE = /^0(\.\d{1,4})?$/;

/** What a reduced rate applies to: a category (any case) or an ASIN (upper-cased). */
export function validateVatTarget(raw: Pick<VatRateInput, 'scope' | 'key'>): {
  target?: { scope: VatScope; key: string };
  problems: VatProblem[];
} {
  const problems: VatProblem[] = [];
  const scope = String(raw.scope ?? '')
    .trim()
    .toLowerCase();
  if (!(VAT_SCOPES as readonly string[]).includes(scope)) {
    problems.push({ field: 'scope', value: String(raw.scope), reason: 'must be category or asin' });
  }
  let key = String(raw.key ?? '').trim();
  if (scope === 'asin') key = key.toUpperCase();
  if (key === '' || key.length > 200) {
    problems.push({ field: 'key', value: key, reason: 'must be 1 to 200 characters' });
  } else if (scope === 'asin' && !/^[A-Z0-9]{10}$/.test(key)) {
    problems.push({ field: 'key', value: key, reason: 'is not an ASIN (10 letters and digits)' });
  }
  return problems.length > 0 ? { problems } : { target: { scope: scope as VatScope, key }, problems };
}

/** A reduced rate as a user gives it: a fraction below 1 (0.07, not 7), for a category or an ASIN. */
export function validateVatRate(raw: VatRateInput): { rate?: VatRate; problems: VatProblem[] } {
  const { target, problems } = validateVatTarget(raw);
  const text = String(raw.rate ?? '').trim();
  if (!RATE.test(text)) {
    problems.push({
      field: 'rate',
      value: text,
      reason: 'must be a fraction below 1 with up to 4 decimals, such as 0.07 for 7 %',
    });
  }
  const note = raw.note === undefined || raw.note === null ? null : String(raw.note).slice(0, 500);
  if (!target || problems.length > 0) return { problems };
  return { rate: { ...target, rate: text, note }, problems };
}
