import type { ReactNode } from 'react';

function Kbd({ children }: { children: ReactNode }) {
  return (
    <kbd className="rounded border border-slate-300 bg-white px-1 font-mono text-[0.7rem] text-slate-800">
      {children}
    </kbd>
  );
}

/** The page's keys; the write keys only for someone who may move tasks. */
export function KeyHelp({ canWrite }: { canWrite: boolean }) {
  return (
    <p className="mb-2 text-xs text-slate-600" id="inbox-keys">
      Keys: <Kbd>j</Kbd> / <Kbd>k</Kbd> next / previous · <Kbd>Enter</Kbd> open
      {canWrite ? (
        <>
          {' '}
          · <Kbd>d</Kbd> done · <Kbd>s</Kbd> snooze · <Kbd>x</Kbd> dismiss (the selected task) · <Kbd>v</Kbd>{' '}
          tick the selected task for a bulk move (shift-click a box: a range)
        </>
      ) : null}{' '}
      · <Kbd>Esc</Kbd> close
    </p>
  );
}
