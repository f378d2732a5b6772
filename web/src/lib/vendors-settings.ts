/**
 * The vendor settings form's checks as the user types: the same rules the API applies (it checks
 * again), so a bad value is marked at its field before anything is sent.
 */
export const LEAD_TIME_MAX_DAYS = 365;
export const MOQ_MAX = 1_000_000;

export interface SettingsForm {
  country: string;
  currency: string;
  lead_time_days: string;
  moq: string;
  email: string;
}

export interface SettingsValues {
  country: string | null;
  currency: string | null;
  lead_time_days: number | null;
  moq: number | null;
  email: string | null;
}

export type FieldErrors = Partial<Record<keyof SettingsForm, string>>;

const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'ZZ']);

function knownCurrency(c: string): boolean {
  try {
    return Intl.supportedValuesOf('currency').includes(c);
  } catch {
    return /^[A-Z]{3}$/.test(c);
  }
}

function knownCountry(c: string): boolean {
  if (!/^[A-Z]{2}$/.test(c) || NOT_COUNTRIES.has(c)) return false;
  try {
    return Boolean(new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' }).of(c));
  } catch {
    return true;
  }
}

function wholeNumber(text: string, max: number): number | null | undefined {
  const t = text.trim();
  if (t === '') return null;
  if (!/^\d+$/.test(t)) return undefined;
  const n = Number(t);
  return n <= max ? n : undefined;
}

/** Form text → values for PATCH /vendors/{id}, or the message per bad field. */
export function checkSettings(f: SettingsForm): { values?: SettingsValues; errors: FieldErrors } {
  const errors: FieldErrors = {};
  let country: string | null = f.country.trim().toUpperCase() || null;
  if (country === 'UK') country = 'GB';
  if (country !== null && !knownCountry(country))
    errors.country = 'Use a 2-letter ISO country code such as DE or GB.';
  const currency = f.currency.trim().toUpperCase() || null;
  if (currency !== null && !knownCurrency(currency))
    errors.currency = 'Use a 3-letter ISO currency code such as EUR.';
  const lead = wholeNumber(f.lead_time_days, LEAD_TIME_MAX_DAYS);
  if (lead === undefined) errors.lead_time_days = `Whole days from 0 to ${LEAD_TIME_MAX_DAYS}, or empty.`;
  const moq = wholeNumber(f.moq, MOQ_MAX);
  if (moq === undefined) errors.moq = `Whole units from 0 to ${MOQ_MAX.toLocaleString('en-US')}, or empty.`;
  const email = f.email.trim() || null;
  if (email !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.email = 'Use an e-mail address.';
  if (Object.keys(errors).length > 0) return { errors };
  return { values: { country, currency, lead_time_days: lead ?? null, moq: moq ?? null, email }, errors };
}

/** The API's [{field, message}] details → messages per form field (a schema error names "/field"). */
export function serverFieldErrors(details: unknown): FieldErrors {
  const out: FieldErrors = {};
  if (!Array.isArray(details)) return out;
  for (const d of details) {
    const field = String((d as { field?: unknown }).field ?? '').replace(/^\//, '');
    const message = String((d as { message?: unknown }).message ?? 'not accepted');
    if (['country', 'currency', 'lead_time_days', 'moq', 'email'].includes(field)) {
      out[field as keyof SettingsForm] = message;
    }
  }
  return out;
}

export const formOf = (v: {
  country: string | null;
  currency: string | null;
  lead_time_days: number | null;
  moq: number | null;
  email: string | null;
}): SettingsForm => ({
  country: v.country?.trim() ?? '',
  currency: v.currency?.trim() ?? '',
  lead_time_days: v.lead_time_days === null ? '' : String(v.lead_time_days),
  moq: v.moq === null ? '' : String(v.moq),
  email: v.email ?? '',
});
