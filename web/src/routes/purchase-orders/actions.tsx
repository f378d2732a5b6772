import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import {
  type CancelResult,
  cancelPo,
  type PurchaseOrder,
  type ReceiveResult,
  receivePo,
} from '../../api/purchase-orders.ts';
import { useLocale } from '../../api/session.ts';
import { formatInt } from '../../lib/format.ts';
import { ConfirmDialog } from '../../ui/confirm-dialog.tsx';

export const units = (n: number, locale: string) => `${formatInt(n, locale)} unit${n === 1 ? '' : 's'}`;

/** Dry run on opening (what this receipt would do), then a confirm naming the units and lines. */
export function ReceiveDialog({
  po,
  lines,
  open,
  onOpenChange,
  onDone,
}: {
  po: PurchaseOrder;
  lines: { sku: string; qty: number }[] | undefined;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onDone: () => void;
}) {
  const locale = useLocale();
  const queryClient = useQueryClient();
  const [preview, setPreview] = useState<ReceiveResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const key = JSON.stringify(lines ?? null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the lines
  useEffect(() => {
    if (!open) return;
    let cancelled = false;
    setPreview(null);
    setError(null);
    receivePo(po.id, lines, true)
      .then((r) => !cancelled && setPreview(r))
      .catch((e) => !cancelled && setError(e));
    return () => {
      cancelled = true;
    };
  }, [open, po.id, key]);
  const n = preview?.received.reduce((s, r) => s + r.qty, 0) ?? 0;
  const what = preview
    ? `${units(n, locale)} on ${preview.received.length} line${preview.received.length === 1 ? '' : 's'}`
    : '';
  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await receivePo(po.id, lines, false);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['purchase-orders'] }),
        queryClient.invalidateQueries({ queryKey: ['restock'] }),
      ]);
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Receive ${what || 'goods'} on #${po.id}?`}
      confirmLabel={preview ? `Receive ${what}` : 'Receive'}
      onConfirm={() => void confirm()}
      busy={busy || preview === null}
      error={error}
    >
      {preview ? (
        <>
          <ul className="list-inside list-disc">
            {preview.received.map((r) => (
              <li key={r.sku}>
                {r.sku}: {units(r.qty, locale)}
              </li>
            ))}
          </ul>
          <p aria-live="polite">
            Dry run: the order would be <strong>{preview.status}</strong>
            {preview.status === 'open' ? ' (the rest stays on order)' : ' (fully received)'}. Nothing has
            changed yet.
          </p>
        </>
      ) : (
        <p aria-live="polite">{error ? '' : 'Dry run: checking the receipt…'}</p>
      )}
    </ConfirmDialog>
  );
}

export function CancelButton({ po }: { po: PurchaseOrder }) {
  const locale = useLocale();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [preview, setPreview] = useState<CancelResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!open) return;
    let cancelled = false;
    setPreview(null);
    setError(null);
    cancelPo(po.id, true)
      .then((r) => !cancelled && setPreview(r))
      .catch((e) => !cancelled && setError(e));
    return () => {
      cancelled = true;
    };
  }, [open, po.id]);
  const outstanding = po.units - po.received_units;
  return (
    <div className="mt-4 border-t border-slate-200 pt-3">
      <button type="button" className="btn btn-danger" onClick={() => setOpen(true)}>
        Cancel order…
      </button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Cancel purchase order #${po.id}?`}
        confirmLabel={`Cancel purchase order #${po.id}`}
        danger
        busy={busy || preview === null}
        error={error}
        onConfirm={async () => {
          setBusy(true);
          try {
            await cancelPo(po.id, false);
            await Promise.all([
              queryClient.invalidateQueries({ queryKey: ['purchase-orders'] }),
              queryClient.invalidateQueries({ queryKey: ['restock'] }),
            ]);
            setOpen(false);
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        <p aria-live="polite">
          {preview
            ? `Dry run: the order with ${po.vendor_name} would be cancelled; its ${units(outstanding, locale)} outstanding no longer count as on order. Nothing has changed yet.`
            : error
              ? ''
              : 'Dry run: checking…'}
        </p>
      </ConfirmDialog>
    </div>
  );
}
