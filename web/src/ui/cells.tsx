import { useLocale } from '../api/session.ts';
import { formatInt, formatMoney, formatPct } from '../lib/format.ts';

/** Money in the user's locale with the row's currency (never assume €). */
export function Money({ value, currency }: { value: unknown; currency: string | null | undefined }) {
  const locale = useLocale();
  return <span className="tabular-nums">{formatMoney(value, currency, locale)}</span>;
}

/** A value in percent units (23.5 → 23.5 %). */
export function Pct({ value, digits }: { value: unknown; digits?: number }) {
  const locale = useLocale();
  return <span className="tabular-nums">{formatPct(value, locale, digits)}</span>;
}

export function Int({ value }: { value: unknown }) {
  const locale = useLocale();
  return <span className="tabular-nums">{formatInt(value, locale)}</span>;
}
