import * as Dialog from '@radix-ui/react-dialog';
import { useId, useState } from 'react';
import { isTypingTarget } from './use-shortcuts.ts';

const DAY = 86_400_000;
export const SNOOZE_CHOICES = [
  { key: '1', label: '1 day', days: 1 },
  { key: '3', label: '3 days', days: 3 },
  { key: '7', label: '1 week', days: 7 },
] as const;

/** `yyyy-mm-dd` (a date field's value) → 8:00 that morning, local time; null unless 1…365 days ahead. */
export function untilDate(value: string, now = new Date()): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 8, 0, 0);
  const ms = d.getTime() - now.getTime();
  return ms > 0 && ms <= 365 * DAY ? d : null;
}

const ymd = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** The snooze chooser: 1 day, 3 days or a week from now (keys 1, 3, 7), or until a date. */
export function SnoozeDialog({
  task,
  onClose,
  onSnooze,
}: {
  /** A task, or the ticked ones as one title ("4 ticked tasks"). */
  task: { title: string } | null;
  onClose: () => void;
  /** A preset as hours (the server adds them to its own now: the browser's clock may be off), or a date. */
  onSnooze: (when: { for_hours: number } | { until: Date }) => void;
}) {
  const id = useId();
  const [date, setDate] = useState('');
  const now = new Date();
  const picked = untilDate(date, now);
  const pick = (days: number) => onSnooze({ for_hours: days * 24 });
  return (
    <Dialog.Root
      open={task !== null}
      onOpenChange={(o) => {
        if (!o) onClose();
        setDate('');
      }}
    >
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-900/30" />
        <Dialog.Content
          className="fixed top-1/3 left-1/2 z-50 w-[min(24rem,calc(100vw-2rem))] -translate-x-1/2 rounded-lg bg-white p-4 shadow-xl focus:outline-none"
          onKeyDown={(e) => {
            if (isTypingTarget(e.target) || e.ctrlKey || e.altKey || e.metaKey) return;
            const choice = SNOOZE_CHOICES.find((c) => c.key === e.key);
            if (choice) {
              e.preventDefault();
              pick(choice.days);
            }
          }}
        >
          <Dialog.Title className="text-base font-semibold">Snooze until…</Dialog.Title>
          <Dialog.Description asChild>
            <div className="mt-0.5 text-sm text-slate-600">
              <p className="line-clamp-2 font-medium text-slate-800">{task?.title}</p>
              <p>It leaves the open list and comes back by itself.</p>
            </div>
          </Dialog.Description>
          <div className="mt-3 grid grid-cols-3 gap-2">
            {SNOOZE_CHOICES.map((c) => (
              <button
                key={c.key}
                type="button"
                className="btn btn-secondary justify-center"
                onClick={() => pick(c.days)}
                aria-keyshortcuts={c.key}
              >
                {c.label}
                <kbd className="rounded border border-slate-300 bg-slate-50 px-1 text-xs text-slate-600">
                  {c.key}
                </kbd>
              </button>
            ))}
          </div>
          <form
            className="mt-3 flex flex-wrap items-end gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              if (picked) onSnooze({ until: picked });
            }}
          >
            <div>
              <label htmlFor={id} className="label">
                Or until a date (8:00)
              </label>
              <input
                id={id}
                type="date"
                className="input"
                min={ymd(new Date(now.getTime() + DAY))}
                max={ymd(new Date(now.getTime() + 365 * DAY))}
                value={date}
                onChange={(e) => setDate(e.target.value)}
              />
            </div>
            <button type="submit" className="btn btn-primary" disabled={!picked}>
              Snooze until the date
            </button>
          </form>
          <Dialog.Close className="btn btn-secondary mt-3 w-full justify-center">Cancel</Dialog.Close>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
