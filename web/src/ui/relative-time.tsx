import { useLocale } from '../api/session.ts';
import { DASH, formatDateTime, formatRelative } from '../lib/format.ts';

/** "3 h ago", with the exact date and time on hover (title) and for machines (dateTime). */
export function RelativeTime({ value }: { value: string | number | Date | null | undefined }) {
  const locale = useLocale();
  if (value === null || value === undefined || value === '')
    return <span className="text-slate-400">{DASH}</span>;
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return <span className="text-slate-400">{DASH}</span>;
  return (
    <time dateTime={d.toISOString()} title={formatDateTime(d, locale)}>
      {formatRelative(d, new Date(), locale)}
    </time>
  );
}
