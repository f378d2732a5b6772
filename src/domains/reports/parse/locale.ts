import { AppError } from '../../../platform/errors.ts';
import { zoneReadings } from '../../../platform/tabular/index.ts';

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
  /** Zone abbreviations this marketplace means differently from the shared table (zones.ts). */
  zones?: ReadonlyMap<number, number>;
}

// Irish time in Java's names (amazon.ie): GMT in winter, IST (+01:00) in summer; elsewhere IST is India's
const IRISH = zoneReadings({ IST: 60 });

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
  const conv: Conventions = {
    marketplace: m,
    monthFirst: MONTH_FIRST.has(m),
    decimalMark: DECIMAL_COMMA.has(m) ? ',' : '.',
  };
  return m === 'IE' ? { ...conv, zones: IRISH } : conv;
}

// Amazon's marketplaces by country code (the ledger's `Country`; `GB` and `UK` both name the UK). JP
// writes `2026/10/01`: its slashed dd/dd form is not known, so a JP row is no evidence either way.
const DAY_FIRST = new Set('UK GB IE DE AT FR BE NL IT ES PL SE TR AE SA EG IN AU SG BR ZA'.split(' '));

/**
 * What a country code in a report says about its `dd/dd/yyyy` dates: true = month first, false = day
 * first, null = nothing (blank, JP, not an Amazon marketplace).
 */
export function countryMonthFirst(code: string): boolean | null {
  const c = code.trim().toUpperCase();
  return MONTH_FIRST.has(c) ? true : DAY_FIRST.has(c) ? false : null;
}

// The settlement report's `marketplace-name` (`Amazon.com`, `Amazon.co.uk`, …) by its domain ending
const DOMAINS = new Map(
  (
    'com US, ca CA, com.mx MX, co.uk UK, ie IE, de DE, fr FR, com.be BE, nl NL, it IT, es ES, pl PL, ' +
    'se SE, com.tr TR, ae AE, sa SA, eg EG, in IN, com.au AU, sg SG, com.br BR, co.za ZA, co.jp JP'
  )
    .split(', ')
    .map((pair) => pair.split(' ') as [string, string]),
);

/** The same for a marketplace name: `Amazon.com` → month first, `Amazon.de` → day first, `Non-Amazon` → null. */
export function marketplaceNameMonthFirst(name: string): boolean | null {
  const n = name
    .trim()
    .toLowerCase()
    .replace(/^www\./, '');
  if (!n.startsWith('amazon.')) return null;
  const country = DOMAINS.get(n.slice('amazon.'.length));
  return country ? countryMonthFirst(country) : null;
}
