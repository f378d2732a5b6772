import type { ReactNode } from 'react';
import type { Task } from '../../api/tasks.ts';
import { AppLink } from './app-link.tsx';
import type { DetailProps } from './detail.tsx';
import { openActionHref } from './links.ts';

function Key({ children }: { children: ReactNode }) {
  return (
    <kbd aria-hidden className="rounded border border-slate-300 px-1 text-xs text-slate-600">
      {children}
    </kbd>
  );
}

/**
 * A task's actions (the default one first: run through a dry-run dialog, or a link for `open`), then
 * the moves: done, snooze, dismiss, or reopen a closed one. A viewer sees only the links.
 */
export function TaskButtons({ task: t, write }: { task: Task; write: DetailProps['write'] }) {
  const active = t.state === 'open' || t.state === 'snoozed';
  const actions = t.action ? [t.action.default, ...t.action.alternatives] : [];
  const shown = actions.flatMap((a, i) => {
    const primary = i === 0 ? 'btn-primary' : 'btn-secondary';
    if (a.kind === 'open') {
      const href = openActionHref(a.params);
      return href
        ? [
            <AppLink key={a.label} href={href} className={`btn ${primary}`}>
              {a.label}
            </AppLink>,
          ]
        : [];
    }
    if (!write || !active) return [];
    const which = i === 0 ? ('default' as const) : i - 1;
    return [
      <button
        key={a.label}
        type="button"
        className={`btn ${primary}`}
        onClick={() => write.act({ task: t, which, action: a })}
      >
        {a.label}…
      </button>,
    ];
  });
  return (
    <>
      {shown.length > 0 ? <div className="mt-3 flex flex-wrap gap-2">{shown}</div> : null}
      {write && active ? (
        <div className="mt-2 flex flex-wrap gap-2">
          <button
            type="button"
            className="btn btn-secondary"
            disabled={write.busy}
            aria-keyshortcuts="d"
            onClick={() => write.move(t, 'done')}
          >
            Done <Key>d</Key>
          </button>
          <button
            type="button"
            className="btn btn-secondary"
            aria-keyshortcuts="s"
            onClick={() => write.snooze(t)}
          >
            Snooze… <Key>s</Key>
          </button>
          <button
            type="button"
            className="btn btn-secondary"
            disabled={write.busy}
            aria-keyshortcuts="x"
            onClick={() => write.move(t, 'dismissed')}
          >
            Dismiss <Key>x</Key>
          </button>
        </div>
      ) : null}
      {write && (t.state === 'done' || t.state === 'dismissed') ? (
        <div className="mt-2">
          <button type="button" className="btn btn-secondary" onClick={() => write.move(t, 'open')}>
            Reopen
          </button>
        </div>
      ) : null}
    </>
  );
}
