import * as Dialog from '@radix-ui/react-dialog';
import type { ReactNode } from 'react';
import { InlineError } from './states.tsx';

export interface ConfirmDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  /** What will happen, naming the count and the mode ("Approve 37 offers"). */
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  /** Shown while the action runs; the buttons are disabled meanwhile. */
  busy?: boolean;
  error?: unknown;
  /** Red confirm button for destructive actions. */
  danger?: boolean;
  /** Extra buttons left of Cancel (e.g. "Preview (dry run)"). */
  extra?: ReactNode;
}

/** Nothing moves money without a confirm that names the count and the mode. */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const { open, onOpenChange, title, children, confirmLabel, onConfirm, busy, error, danger, extra } = props;
  return (
    <Dialog.Root open={open} onOpenChange={(o) => !busy && onOpenChange(o)}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <Dialog.Content className="fixed top-1/2 left-1/2 z-50 w-[min(32rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-5 shadow-xl focus:outline-none">
          <Dialog.Title className="text-lg font-semibold text-slate-900">{title}</Dialog.Title>
          <Dialog.Description asChild>
            <div className="mt-2 space-y-2 text-sm text-slate-700">{children}</div>
          </Dialog.Description>
          {error ? (
            <div className="mt-3">
              <InlineError error={error} />
            </div>
          ) : null}
          <div className="mt-5 flex flex-wrap justify-end gap-2">
            {extra}
            <Dialog.Close asChild>
              <button type="button" className="btn btn-secondary" disabled={busy}>
                Cancel
              </button>
            </Dialog.Close>
            <button
              type="button"
              className={danger ? 'btn btn-danger' : 'btn btn-primary'}
              onClick={onConfirm}
              disabled={busy}
              aria-busy={busy || undefined}
            >
              {busy ? 'Working…' : confirmLabel}
            </button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
