import { useEffect, useRef } from 'react';
import type { Task } from '../../api/tasks.ts';
import { RelativeTime } from '../../ui/relative-time.tsx';
import { SeverityBadge } from '../../ui/tasks.tsx';
import type { TaskGroup } from './group.ts';
import type { Picked } from './pick.ts';

/** Ticking tasks for a bulk move (null for a viewer: no boxes). */
export interface Picking {
  picked: Picked;
  /** `range`: shift was held (tick from the last clicked row to this one). */
  onPick: (t: Task, range: boolean) => void;
  onPickAll: (on: boolean) => void;
}

function Due({ t }: { t: Task }) {
  if (t.state === 'snoozed')
    return (
      <span className="text-slate-600">
        snoozed until <RelativeTime value={t.snoozed_until} />
      </span>
    );
  if (t.state !== 'open') return <span className="text-slate-600">{t.state}</span>;
  if (!t.due) return <span className="text-slate-600">no due date</span>;
  const late = new Date(t.due).getTime() < Date.now();
  return (
    <span className={late ? 'font-medium text-red-800' : ''}>
      {late ? 'overdue · ' : ''}
      <RelativeTime value={t.due} />
    </span>
  );
}

/**
 * The tasks in their groups, one row each: severity, title with its reasons as sentences, due and
 * assignee. The selected row (j/k) is highlighted and kept in view; a click selects and opens it.
 * With `picking`, a box per row ticks it for a bulk move (shift-click: a range; `v`: the selected row).
 */
export function TaskList({
  groups,
  selected,
  open,
  onOpen,
  stale,
  picking,
}: {
  groups: TaskGroup[];
  selected: number | null;
  open: number | null;
  onOpen: (t: Task) => void;
  stale: boolean;
  picking: Picking | null;
}) {
  const all = groups.flatMap((g) => g.tasks);
  const allPicked = all.length > 0 && all.every((t) => picking?.picked.has(t.id));
  const somePicked = all.some((t) => picking?.picked.has(t.id));
  const cols = picking ? 5 : 4;
  const rows = useRef(new Map<number, HTMLTableRowElement>());
  // the row's place over all groups (data-index, as the app's other grids mark their rows)
  const indexOf = new Map(all.map((t, i) => [t.id, i]));
  useEffect(() => {
    if (selected !== null) rows.current.get(selected)?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  return (
    <div className={`card overflow-x-auto transition-opacity ${stale ? 'opacity-70' : ''}`} aria-busy={stale}>
      <table className="w-full border-collapse text-sm">
        <caption className="sr-only">Tasks, most severe and earliest due first</caption>
        <thead className="bg-slate-100">
          <tr>
            {picking ? (
              <th scope="col" className="w-8 px-2 py-2 sm:px-3">
                <input
                  type="checkbox"
                  aria-label="Tick every task on this page"
                  checked={allPicked}
                  ref={(el) => {
                    if (el) el.indeterminate = somePicked && !allPicked;
                  }}
                  onChange={(e) => picking.onPickAll(e.target.checked)}
                />
              </th>
            ) : null}
            <th scope="col" className="w-28 px-2 py-2 text-left sm:px-3">
              Severity
            </th>
            <th scope="col" className="px-2 py-2 text-left">
              Task and why
            </th>
            <th scope="col" className="hidden w-44 px-2 py-2 text-left md:table-cell">
              Due
            </th>
            <th scope="col" className="hidden w-36 px-2 py-2 text-left lg:table-cell">
              Assignee
            </th>
          </tr>
        </thead>
        {groups.map((g) => (
          <tbody key={g.key}>
            <tr className="border-y border-slate-200 bg-slate-50">
              <th
                scope="rowgroup"
                colSpan={cols}
                className="px-3 py-1.5 text-left font-semibold text-slate-800"
              >
                {g.label} <span className="font-normal text-slate-600">· {g.tasks.length}</span>
              </th>
            </tr>
            {g.tasks.map((t) => {
              const isSelected = selected === t.id;
              const isPicked = picking?.picked.has(t.id) ?? false;
              return (
                <tr
                  key={t.id}
                  ref={(el) => {
                    if (el) rows.current.set(t.id, el);
                    else rows.current.delete(t.id);
                  }}
                  aria-selected={isSelected}
                  data-task={t.id}
                  data-picked={isPicked || undefined}
                  data-index={indexOf.get(t.id)}
                  className={`cursor-pointer border-b border-slate-100 align-top ${
                    isSelected
                      ? 'bg-blue-50 shadow-[inset_3px_0_0_var(--color-blue-700)]'
                      : isPicked
                        ? 'bg-amber-50'
                        : open === t.id
                          ? 'bg-slate-50'
                          : 'hover:bg-slate-50'
                  }`}
                  onClick={(e) => {
                    if ((e.target as HTMLElement).closest('a,button,input')) return;
                    onOpen(t);
                  }}
                >
                  {picking ? (
                    <td className="px-2 py-2 sm:px-3">
                      <input
                        type="checkbox"
                        aria-label={`Tick: ${t.title}`}
                        checked={isPicked}
                        onChange={(e) =>
                          picking.onPick(t, e.nativeEvent instanceof MouseEvent && e.nativeEvent.shiftKey)
                        }
                      />
                    </td>
                  ) : null}
                  <td className="px-2 py-2 sm:px-3">
                    <SeverityBadge severity={t.severity} />
                  </td>
                  <td className="px-2 py-2">
                    <button
                      type="button"
                      className="text-left font-medium text-slate-900 hover:underline"
                      onClick={() => onOpen(t)}
                    >
                      {t.title}
                    </button>
                    <ul className="mt-0.5 text-slate-700">
                      {t.why.map((w) => (
                        <li key={w.code + w.message}>{w.message}</li>
                      ))}
                    </ul>
                    {/* a narrow window has no room for the last columns: they go under the reasons */}
                    <p className="mt-0.5 text-xs lg:hidden">
                      <span className="md:hidden">
                        Due: <Due t={t} /> ·{' '}
                      </span>
                      Assignee: {t.assignee ?? 'nobody'}
                    </p>
                  </td>
                  <td className="hidden px-2 py-2 whitespace-nowrap md:table-cell">
                    <Due t={t} />
                  </td>
                  <td className="hidden px-2 py-2 lg:table-cell">
                    {t.assignee ?? <span className="text-slate-600">nobody</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        ))}
      </table>
    </div>
  );
}
