import * as Dialog from '@radix-ui/react-dialog';
import type { ReactNode } from 'react';

/**
 * A row's details docked at the right, beside its table: not modal, so the table keeps its state and
 * stays usable, and a click outside does not close it (people compare rows while it is open).
 */
export function SidePanel({
  open,
  onClose,
  children,
}: {
  open: boolean;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <Dialog.Root open={open} onOpenChange={(o) => !o && onClose()} modal={false}>
      <Dialog.Portal>
        <Dialog.Content
          className="fixed top-14 right-0 bottom-0 z-30 w-[min(28rem,100vw)] overflow-y-auto border-l border-slate-200 bg-white p-4 shadow-xl focus:outline-none"
          onInteractOutside={(e) => e.preventDefault()}
        >
          {children}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** The panel's title, its one-line description and the close button (named by `closeLabel`). */
export function SidePanelHeader({
  title,
  description,
  closeLabel,
}: {
  title: ReactNode;
  description: ReactNode;
  closeLabel: string;
}) {
  return (
    <div className="mb-3 flex items-start justify-between gap-2">
      <div className="min-w-0">
        <Dialog.Title className="text-base font-semibold">{title}</Dialog.Title>
        <Dialog.Description className="text-sm text-slate-600">{description}</Dialog.Description>
      </div>
      <Dialog.Close className="btn btn-secondary px-2" aria-label={closeLabel}>
        ✕
      </Dialog.Close>
    </div>
  );
}

/** One figure of a panel's `<dl>`: its name (with an optional note under it) and its value. */
export function PanelRow({ label, value, note }: { label: string; value: ReactNode; note?: ReactNode }) {
  return (
    <div className="flex items-baseline justify-between gap-3 border-b border-slate-100 py-1.5">
      <dt className="text-slate-700">
        {label}
        {note ? <div className="text-xs text-slate-500">{note}</div> : null}
      </dt>
      <dd className="text-right font-medium whitespace-nowrap tabular-nums">{value}</dd>
    </div>
  );
}
