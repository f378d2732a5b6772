/**
 * What to do with the ticked tasks: done, snooze or dismiss them all at once. It sits above the list
 * while anything is ticked, so the rows do not move under the pointer.
 */
export function BulkBar({
  count,
  busy,
  onMove,
  onSnooze,
  onClear,
}: {
  count: number;
  busy: boolean;
  onMove: (to: 'done' | 'dismissed') => void;
  onSnooze: () => void;
  onClear: () => void;
}) {
  if (count === 0) return null;
  return (
    <section
      aria-label="Ticked tasks"
      className="sticky top-14 z-20 mb-2 flex flex-wrap items-center gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm"
    >
      <span className="font-medium text-slate-900" aria-live="polite">
        {count} ticked
      </span>
      <button
        type="button"
        className="btn btn-secondary py-0.5"
        disabled={busy}
        onClick={() => onMove('done')}
      >
        Mark {count} done
      </button>
      <button type="button" className="btn btn-secondary py-0.5" disabled={busy} onClick={onSnooze}>
        Snooze {count}…
      </button>
      <button
        type="button"
        className="btn btn-secondary py-0.5"
        disabled={busy}
        onClick={() => onMove('dismissed')}
      >
        Dismiss {count}
      </button>
      <button type="button" className="link ml-auto" onClick={onClear}>
        Untick all
      </button>
    </section>
  );
}
