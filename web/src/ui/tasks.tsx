import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useLocale } from '../api/session.ts';
import { type Severity, type Task, tasksQuery } from '../api/tasks.ts';
import { formatInt } from '../lib/format.ts';
import { RelativeTime } from './relative-time.tsx';
import { InlineError, Loading } from './states.tsx';

const SEVERITY: Record<Severity, { icon: string; className: string }> = {
  critical: { icon: '▲', className: 'border-red-300 bg-red-50 text-red-900' },
  warning: { icon: '◆', className: 'border-amber-300 bg-amber-50 text-amber-950' },
  info: { icon: 'i', className: 'border-sky-300 bg-sky-50 text-sky-900' },
};

/** A task's severity as a chip: icon and word, colour only the third signal. */
export function SeverityBadge({ severity }: { severity: Severity }) {
  const s = SEVERITY[severity] ?? SEVERITY.info;
  return (
    <span
      className={`inline-flex w-[5.5rem] items-center gap-1 rounded-full border px-2 py-0.5 text-xs font-medium ${s.className}`}
    >
      <span aria-hidden className="w-3 text-center font-bold">
        {s.icon}
      </span>
      {severity}
    </span>
  );
}

/**
 * The open (and snoozed) tasks of one ASIN or one vendor, most severe first: a compact list for the
 * SKU and vendor pages, each task opening in the inbox.
 */
export function OpenTasks({ asin, vendor, what }: { asin?: string; vendor?: number; what: string }) {
  const locale = useLocale();
  const filter = asin ? { asin } : { vendor_id: vendor };
  const list = useQuery(
    tasksQuery({ ...filter, state: 'open,snoozed', sort: 'severity', page: 1, page_size: 10 }),
  );
  const inbox = asin ? { asin } : { vendor };
  if (list.isPending) return <Loading label="Loading open tasks…" />;
  if (list.error && !list.data) return <InlineError error={list.error} />;
  const { items, total } = list.data!;
  if (total === 0) return <p className="text-sm text-slate-600">No open tasks for {what}.</p>;
  return (
    <>
      <ul className="divide-y divide-slate-100 text-sm">
        {items.map((t: Task) => (
          <li key={t.id} className="flex flex-wrap items-center gap-x-2 gap-y-0.5 py-1.5">
            <SeverityBadge severity={t.severity} />
            <Link
              to="/inbox"
              search={{ ...inbox, state: ['open', 'snoozed'], task: t.id }}
              className="min-w-0 flex-1 text-blue-800 hover:underline"
            >
              {t.title}
            </Link>
            <span className="text-xs text-slate-600">
              {t.state === 'snoozed' ? (
                <>
                  snoozed until <RelativeTime value={t.snoozed_until} />
                </>
              ) : t.due ? (
                <>
                  due <RelativeTime value={t.due} />
                </>
              ) : null}
            </span>
          </li>
        ))}
      </ul>
      <Link
        to="/inbox"
        search={{ ...inbox, state: ['open', 'snoozed'] }}
        className="link mt-1 inline-block text-sm"
      >
        {total > items.length
          ? `All ${formatInt(total, locale)} in the inbox`
          : `Open ${total === 1 ? 'it' : 'them'} in the inbox`}
      </Link>
    </>
  );
}
