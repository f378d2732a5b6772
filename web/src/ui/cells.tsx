import { Link } from '@tanstack/react-router';
import { useLocale } from '../api/session.ts';
import { formatInt, formatMoney, formatPct } from '../lib/format.ts';
import type { DataColumn } from './data-table.tsx';

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

/** A table's ASIN column (sortable, never hidden): the ASIN links to its SKU page. */
export function asinColumn<T extends { asin: string }>(): DataColumn<T> {
  return {
    id: 'asin',
    header: 'ASIN',
    sortable: true,
    hideable: false,
    cell: (r) => (
      <Link
        to="/sku/$asin"
        params={{ asin: r.asin }}
        className="font-mono text-xs text-blue-800 hover:underline"
      >
        {r.asin}
      </Link>
    ),
  };
}
