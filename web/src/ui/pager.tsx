import { useId } from 'react';
import { useLocale } from '../api/session.ts';
import { formatInt } from '../lib/format.ts';

export const PAGE_SIZES = [25, 50, 100, 200] as const;

/** Under a server-paged table: which rows are shown, rows per page, first/previous/next/last. */
export function Pager({
  page,
  pageSize,
  total,
  onPage,
  onPageSize,
}: {
  page: number;
  pageSize: number;
  total: number;
  onPage: (p: number) => void;
  onPageSize: (n: number) => void;
}) {
  const locale = useLocale();
  const id = useId();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return (
    <nav aria-label="Pages" className="mt-2 flex flex-wrap items-center justify-between gap-2 text-sm">
      <p className="text-slate-700" aria-live="polite">
        Rows {formatInt(from, locale)}–{formatInt(to, locale)} of {formatInt(total, locale)}
      </p>
      <div className="flex items-center gap-1">
        <label htmlFor={id} className="mr-1 text-slate-700">
          Rows per page
        </label>
        <select
          id={id}
          className="input mr-3"
          value={pageSize}
          onChange={(e) => onPageSize(Number(e.target.value))}
        >
          {PAGE_SIZES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
        <button type="button" className="btn btn-secondary" disabled={page <= 1} onClick={() => onPage(1)}>
          First
        </button>
        <button
          type="button"
          className="btn btn-secondary"
          disabled={page <= 1}
          onClick={() => onPage(page - 1)}
        >
          Previous
        </button>
        <span className="px-2 text-slate-700">
          Page {formatInt(page, locale)} of {formatInt(pages, locale)}
        </span>
        <button
          type="button"
          className="btn btn-secondary"
          disabled={page >= pages}
          onClick={() => onPage(page + 1)}
        >
          Next
        </button>
        <button
          type="button"
          className="btn btn-secondary"
          disabled={page >= pages}
          onClick={() => onPage(pages)}
        >
          Last
        </button>
      </div>
    </nav>
  );
}
