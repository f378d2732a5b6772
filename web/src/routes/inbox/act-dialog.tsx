import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { useCurrency, useLocale } from '../../api/session.ts';
import { type ActResult, actOnTask, TASKS_KEY, type Task, type TaskAction } from '../../api/tasks.ts';
import { formatInt, formatMoney } from '../../lib/format.ts';
import { ConfirmDialog } from '../../ui/confirm-dialog.tsx';

export interface Acting {
  task: Task;
  /** 'default' or the index of an alternative. */
  which: 'default' | number;
  action: TaskAction;
}

type Po = {
  id: number | null;
  vendor_name: string;
  lines: { sku: string; qty: number; unit_cost: string | null }[];
};
type Applied = {
  mode: string;
  changed: number;
  items: { sku: string; old?: string | null; new?: string | null; reason?: string; message?: string }[];
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What the owning service answered, in words: the order, the price or the status it would set. */
export function Outcome({
  kind,
  result,
  dryRun,
}: {
  kind: string;
  result: unknown;
  dryRun: boolean;
}): ReactNode {
  const locale = useLocale();
  const currency = useCurrency() ?? 'EUR';
  const would = dryRun ? 'would be' : 'was';
  if (kind === 'create_po') {
    // the service answers the order and its lines; the totals are summed here (unit costs in the
    // marketplace currency, a line without one left out and said so)
    const po = result as Po;
    const units = po.lines.reduce((n, l) => n + l.qty, 0);
    const costed = po.lines.filter((l) => l.unit_cost !== null);
    const total = costed.reduce((sum, l) => sum + l.qty * Number(l.unit_cost), 0);
    const missing = po.lines.length - costed.length;
    return (
      <p>
        A purchase order to <strong>{po.vendor_name}</strong> {would} placed
        {po.id ? ` as #${po.id}` : ''}: {plural(po.lines.length, 'line')}, {formatInt(units, locale)} units
        for {formatMoney(total, currency, locale)}
        {missing ? ` (${plural(missing, 'line')} without a unit cost left out)` : ''}.
      </p>
    );
  }
  if (kind === 'apply_price') {
    const r = result as Applied;
    return (
      <ul className="list-inside list-disc">
        {r.items.map((it) => (
          <li key={it.sku}>
            {it.sku}:{' '}
            {it.message ?? `${it.old ?? '—'} → ${it.new ?? '—'}${it.reason ? ` (${it.reason})` : ''}`}
          </li>
        ))}
      </ul>
    );
  }
  if (kind === 'raise_floor') {
    const r = result as {
      sku: string;
      old_min: string | null;
      new_min: string;
      changed: boolean;
      roi_pct: number;
    };
    return (
      <p>
        {r.changed
          ? `The floor of ${r.sku} ${would} raised from ${r.old_min ?? 'none'} to ${r.new_min} (${r.roi_pct} % ROI).`
          : `The floor of ${r.sku} is already ${r.new_min}, at or above the price at ${r.roi_pct} % ROI: nothing to change.`}
      </p>
    );
  }
  if (kind === 'set_product_status') {
    const r = result as { would_update?: number; updated?: number };
    const n = r.would_update ?? r.updated ?? 0;
    return <p>{`${plural(n, 'product')} ${would} updated.`}</p>;
  }
  return null;
}

/**
 * Runs a task's action: a dry run as soon as it opens (what it would do), then a confirm naming the
 * action. Nothing moves money without that preview.
 */
export function ActDialog({
  acting,
  onClose,
  onDone,
}: {
  acting: Acting | null;
  onClose: () => void;
  onDone: (r: ActResult) => void;
}) {
  const queryClient = useQueryClient();
  const [preview, setPreview] = useState<ActResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const id = acting?.task.id;
  const which = acting?.which;
  useEffect(() => {
    if (id === undefined || which === undefined) return;
    let cancelled = false;
    setPreview(null);
    setError(null);
    actOnTask(id, which, true)
      .then((r) => !cancelled && setPreview(r))
      .catch((e) => !cancelled && setError(e));
    return () => {
      cancelled = true;
    };
  }, [id, which]);

  async function confirm() {
    if (!acting) return;
    setBusy(true);
    setError(null);
    try {
      const r = await actOnTask(acting.task.id, acting.which, false);
      await queryClient.invalidateQueries({ queryKey: TASKS_KEY });
      if (acting.action.kind === 'create_po')
        await queryClient.invalidateQueries({ queryKey: ['purchase-orders'] });
      onDone(r);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const label = acting?.action.label ?? '';
  return (
    <ConfirmDialog
      open={acting !== null}
      onOpenChange={(o) => !o && onClose()}
      title={`${label}?`}
      confirmLabel={label}
      onConfirm={() => void confirm()}
      busy={busy || preview === null}
      error={error}
    >
      <p className="text-slate-600">{acting?.task.title}</p>
      {preview ? (
        <div aria-live="polite" className="space-y-1">
          <p className="font-medium">Dry run:</p>
          <Outcome kind={preview.action.kind} result={preview.result} dryRun />
          <p>Nothing has changed yet. Confirming does it and marks the task done.</p>
        </div>
      ) : (
        <p aria-live="polite">{error ? '' : 'Dry run: checking what it would do…'}</p>
      )}
    </ConfirmDialog>
  );
}
