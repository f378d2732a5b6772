import { useQuery } from '@tanstack/react-query';
import { useLocale } from '../../api/session.ts';
import { taskCountsQuery } from '../../api/tasks.ts';
import { formatInt } from '../../lib/format.ts';

/**
 * Beside "Inbox" in the navigation: the open tasks, and the critical ones apart in red (with an icon,
 * not colour alone). Refreshed every minute and whenever a task moves (the ['tasks'] queries).
 */
export function InboxBadge() {
  const locale = useLocale();
  const counts = useQuery(taskCountsQuery).data;
  if (!counts || counts.open === 0) return null;
  const critical = counts.by_severity['critical'] ?? 0;
  return (
    <span className="ml-auto flex items-center gap-1" data-testid="inbox-badge">
      <span className="sr-only">
        , {formatInt(counts.open, locale)} open
        {critical ? `, ${formatInt(critical, locale)} critical` : ''}
      </span>
      {critical ? (
        <span
          aria-hidden
          title={`${critical} critical`}
          className="rounded-full bg-red-700 px-1.5 text-xs font-semibold text-white tabular-nums"
        >
          ▲ {formatInt(critical, locale)}
        </span>
      ) : null}
      <span
        aria-hidden
        title={`${counts.open} open`}
        className="rounded-full bg-slate-200 px-1.5 text-xs font-semibold text-slate-800 tabular-nums"
      >
        {formatInt(counts.open, locale)}
      </span>
    </span>
  );
}
