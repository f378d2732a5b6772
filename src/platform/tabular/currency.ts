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
