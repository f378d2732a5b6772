import { useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { type FromPlanBody, type FromPlanResult, ordersFromPlan } from '../../api/restock.ts';
import { useLocale } from '../../api/session.ts';
import { formatInt, formatMoney } from '../../lib/format.ts';
import { ConfirmDialog } from '../../ui/confirm-dialog.tsx';

const orders = (n: number) => `${n} purchase order${n === 1 ? '' : 's'}`;

/**
 * Selected lines → one purchase order per vendor: opening asks the server for a dry run (the orders,
 * rounded quantities and totals it would place), the confirm names the count.
 */
export function OrderDialog({
  planId,
  body,
  open,
  onOpenChange,
  onDone,
}: {
  planId: number;
  body: (dryRun: boolean) => FromPlanBody;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onDone: (result: FromPlanResult) => void;
}) {
  const locale = useLocale();
  const queryClient = useQueryClient();
  const [preview, setPreview] = useState<FromPlanResult | null>(null);
  const [previewError, setPreviewError] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the preview is taken once per opening
  useEffect(() => {
    if (!open) return;
    let cancelled = false;
    setPreview(null);
    setPreviewError(null);
    setError(null);
    ordersFromPlan(planId, body(true))
      .then((r) => !cancelled && setPreview(r))
      .catch((e) => !cancelled && setPreviewError(e));
    return () => {
      cancelled = true;
    };
  }, [open, planId]);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      const r = await ordersFromPlan(planId, body(false));
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['restock'] }),
        queryClient.invalidateQueries({ queryKey: ['purchase-orders'] }),
      ]);
      onDone(r);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const money = (v: unknown) => formatMoney(v, preview?.currency, locale);
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={onOpenChange}
      title={preview ? `Create ${orders(preview.count)}?` : 'Create purchase orders?'}
      confirmLabel={preview ? `Create ${orders(preview.count)}` : 'Create purchase orders'}
      onConfirm={() => void confirm()}
      busy={busy || preview === null}
      error={error ?? previewError}
    >
      {preview === null ? (
        <p aria-live="polite">{previewError ? '' : 'Dry run: working out the orders…'}</p>
      ) : (
        <>
          <p aria-live="polite">
            Dry run: {orders(preview.count)}, {formatInt(preview.units, locale)} units,{' '}
            {money(preview.total_cost)}. Nothing has been ordered yet.
          </p>
          <div className="max-h-64 overflow-auto">
            <table className="w-full text-sm">
              <caption className="sr-only">Purchase orders to create</caption>
              <thead>
                <tr className="text-left">
                  <th scope="col">Vendor</th>
                  <th scope="col" className="num">
                    Lines
                  </th>
                  <th scope="col" className="num">
                    Units
                  </th>
                  <th scope="col" className="num">
                    Total
                  </th>
                </tr>
              </thead>
              <tbody>
                {preview.orders.map((o) => (
                  <tr key={o.vendor_id} className="border-t border-slate-100">
                    <td>{o.vendor_name}</td>
                    <td className="num">{formatInt(o.lines.length, locale)}</td>
                    <td className="num">{formatInt(o.units, locale)}</td>
                    <td className="num">{money(o.total_cost)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {preview.orders.some((o) => o.lines.some((l) => l.qty !== l.wanted)) ? (
            <ul className="text-xs text-slate-600">
              {preview.orders.flatMap((o) =>
                o.lines
                  .filter((l) => l.qty !== l.wanted)
                  .slice(0, 5)
                  .map((l) => (
                    <li key={l.sku}>
                      {l.sku}: {formatInt(l.wanted, locale)} → {formatInt(l.qty, locale)} (
                      {l.raised_to_moq ? `MOQ ${l.moq}, ` : ''}
                      {l.cases} cases of {l.case_pack})
                    </li>
                  )),
              )}
            </ul>
          ) : null}
        </>
      )}
    </ConfirmDialog>
  );
}

/** "Created 2 purchase orders: #12, #13", each a link to the order. */
export function CreatedNotice({ result }: { result: FromPlanResult }) {
  return (
    <span>
      Created {orders(result.count)}:{' '}
      {result.orders.map((o, i) => (
        <span key={o.vendor_id}>
          {i > 0 ? ', ' : ''}
          <Link to="/purchase-orders" search={{ po: o.id ?? undefined } as never} className="link">
            #{o.id} {o.vendor_name}
          </Link>
        </span>
      ))}
      .
    </span>
  );
}
