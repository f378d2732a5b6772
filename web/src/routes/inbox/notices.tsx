import type { Task } from '../../api/tasks.ts';
import { InlineError } from '../../ui/states.tsx';
import { AppLink } from './app-link.tsx';
import type { Notice } from './use-triage.ts';

/** What the last move or action did: done (with undo), a conflict (someone was faster) or an error. */
export function Notices({
  notice,
  onDismiss,
  onUndo,
}: {
  notice: Notice | null;
  onDismiss: () => void;
  onUndo: (t: Task) => void;
}) {
  return (
    // a toast at the bottom: the list does not jump when a message comes or goes
    <div
      className="fixed bottom-4 left-1/2 z-40 w-max max-w-[calc(100vw-2rem)] -translate-x-1/2 shadow-lg"
      aria-live="polite"
    >
      {notice?.kind === 'ok' ? (
        <p
          role="status"
          className="flex flex-wrap items-center gap-2 rounded border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-900"
        >
          <span>{notice.text}</span>
          {notice.link ? (
            <AppLink href={notice.link.href} className="link">
              {notice.link.label}
            </AppLink>
          ) : null}
          {notice.undo ? (
            <button type="button" className="link" onClick={() => onUndo(notice.undo!.task)}>
              Undo
            </button>
          ) : null}
          <Close onClick={onDismiss} />
        </p>
      ) : notice?.kind === 'conflict' ? (
        <p
          role="alert"
          className="flex items-center gap-2 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950"
        >
          <span aria-hidden>⚠</span>
          <span>{notice.text}</span>
          <Close onClick={onDismiss} />
        </p>
      ) : notice?.kind === 'bulk' ? (
        <div
          role="alert"
          className="max-w-xl rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950"
        >
          <p className="flex items-center gap-2">
            <span aria-hidden>⚠</span>
            <span>
              {notice.text} {notice.failures.length} not moved:
            </span>
            <Close onClick={onDismiss} />
          </p>
          <ul className="mt-1 max-h-40 list-inside list-disc overflow-y-auto">
            {notice.failures.map((f) => (
              <li key={f.id} data-failed={f.id}>
                <span className="font-medium">{f.title}</span>: {f.conflict ? 'conflict (409), ' : ''}
                {f.message}
              </li>
            ))}
          </ul>
        </div>
      ) : notice?.kind === 'error' ? (
        <InlineError error={notice.error} />
      ) : null}
    </div>
  );
}

function Close({ onClick }: { onClick: () => void }) {
  return (
    <button
      type="button"
      className="ml-auto px-1 text-current"
      aria-label="Hide this message"
      onClick={onClick}
    >
      ✕
    </button>
  );
}
