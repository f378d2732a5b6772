import { AppError } from '../../../platform/errors.ts';

/**
 * How a marketplace's reports write the two things that are ambiguous on their own: `01/09/2026`
 * (1 September or 9 January?) and `1.234` (1234 or 1.234?). Amazon localises both per marketplace;
 * every unambiguous form (ISO dates, a day above 12, `3.396,63`, `12,5`) is read regardless.
 */
export interface Conventions {
  marketplace: string;
  /** `09/01/2026` is 1 September (US, CA, MX); otherwise day first. */
  monthFirst: boolean;
  /** Decimal mark for the one ambiguous amount shape (`1.234` / `1,234`). */
  decimalMark: '.' | ',';
}

// SPEC §4: US-style month-first dates on the North American marketplaces
const MONTH_FIRST = new Set(['US', 'CA', 'MX']);
// Amazon's continental-European (and Brazilian, Turkish) reports write decimal commas
const DECIMAL_COMMA = new Set(['DE', 'AT', 'FR', 'BE', 'IT', 'ES', 'NL', 'PL', 'SE', 'TR', 'BR']);

export function conventionsFor(marketplace: string): Conventions {
  const m = marketplace.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(m)) {
    throw new AppError('invalid', `"${marketplace}" is not a marketplace code (e.g. DE, US, UK)`, {
      marketplace,
    });
  }
  return { marketplace: m, monthFirst: MONTH_FIRST.has(m), decimalMark: DECIMAL_COMMA.has(m) ? ',' : '.' };
}
