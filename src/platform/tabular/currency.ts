import { invalidField } from '../errors.ts';

const CURRENCY_ALIASES: Record<string, string> = {
  '€': 'EUR',
  EUR: 'EUR',
  EURO: 'EUR',
  EUROS: 'EUR',
  $: 'USD',
  US$: 'USD',
  'US-$': 'USD',
  USD: 'USD',
  '£': 'GBP',
  GBP: 'GBP',
};

const ISO_CODE = /^[A-Z]{3}$/;

/** `€ EUR EURO` → EUR, `$ USD US$` → USD, `£ GBP` → GBP, other 3-letter codes upper-cased; else null. */
export function normaliseCurrency(text: string): string | null {
  const s = text.trim().toUpperCase();
  const alias = CURRENCY_ALIASES[s];
  if (alias) return alias;
  return ISO_CODE.test(s) ? s : null;
}

/**
 * A currency the user names (a flag, a form field): a 3-letter ISO code, any case, upper-cased;
 * `undefined` when none was given. The error names `field` and the value.
 */
export function currencyCodeInput(value: string | undefined, field = 'currency'): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const code = value.trim().toUpperCase();
  if (!ISO_CODE.test(code)) {
    throw invalidField(field, value, 'iso_4217', `must be a 3-letter ISO code such as EUR (got "${value}")`);
  }
  return code;
}
