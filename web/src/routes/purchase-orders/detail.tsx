import * as Dialog from '@radix-ui/react-dialog';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { type PurchaseOrder, poQuery } from '../../api/purchase-orders.ts';
import { hasRole, useLocale, useMe } from '../../api/session.ts';
import { formatDate, formatInt, formatMoney, formatNumber } from '../../lib/format.ts';
import { receiptLines } from '../../lib/restock-po-search.ts';
import { RelativeTime } from '../../ui/relative-time.tsx';
import { ErrorState, Loading } from '../../ui/states.tsx';
import { CancelButton, ReceiveDialog, units } from './actions.tsx';

const STATUS_STYLE: Record<string, { icon: string; className: string }> = {
  open: { icon: '○', className: 'border-sky-300 bg-sky-50 text-sky-900' },
  received: { icon: '✓', className: 'border-green-300 bg-green-50 text-green-900' },
  cancelled: { icon: '✕', className: 'border-slate-300 bg-slate-100 text-slate-700' },
};

export function StatusBadge({ status }: { status: string }) {
  const s = STATUS_STYLE[status] ?? STATUS_STYLE['open']!;
  return (
    <span
      className={`inline-flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs font-medium ${s.className}`}
    >
      <span aria-hidden>{s.icon}</span>
      {status}
    </span>
  );
}

/** One order beside the list: lines, money in both currencies, receive and cancel (ops). */
export function PoPanel({ id, onClose }: { id: number | null; onClose: () => void }) {
  return (
    <Dialog.Root open={id !== null} onOpenChange={(o) => !o && onClose()} modal={false}>
      <Dialog.Portal>
        <Dialog.Content
          className="fixed top-14 right-0 bottom-0 z-30 w-[min(44rem,100vw)] overflow-y-auto border-l border-slate-200 bg-white p-4 shadow-xl focus:outline-none"
          onInteractOutside={(e) => e.preventDefault()}
          aria-describedby={undefined}
        >
          {id !== null ? <PoDetail id={id} /> : null}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function PoDetail({ id }: { id: number }) {
  const locale = useLocale();
  const me = useMe();
  const po = useQuery(poQuery(id));
  if (po.isPending)
    return (
      <>
        <Dialog.Title className="text-base font-semibold">Purchase order #{id}</Dialog.Title>
        <Loading label="Loading the order…" />
      </>
    );
  if (po.error || !po.data)
    return (
      <>
        <Dialog.Title className="text-base font-semibold">Purchase order #{id}</Dialog.Title>
        <ErrorState
          error={po.error}
          title="The order could not be loaded"
          onRetry={() => void po.refetch()}
        />
      </>
    );
  const p = po.data;
  const m = (v: unknown) => formatMoney(v, p.currency, locale);
  const mv = (v: unknown) => formatMoney(v, p.vendor_currency, locale);
  const twoCurrencies = p.vendor_currency !== p.currency;
  return (
    <>
      <div className="mb-3 flex items-start justify-between gap-2">
        <div className="min-w-0">
          <Dialog.Title className="text-base font-semibold">
            Purchase order #{p.id}
            {p.reference ? ` · ${p.reference}` : ''}
          </Dialog.Title>
          <p className="text-sm text-slate-600">
            {p.vendor_name} · {p.marketplace} · created <RelativeTime value={p.created_at} /> by{' '}
            {p.created_by}
            {p.expected_at ? ` · expected ${formatDate(p.expected_at, locale)}` : ''}
          </p>
        </div>
        <Dialog.Close className="btn btn-secondary px-2" aria-label="Close the order">
          ✕
        </Dialog.Close>
      </div>
      <p className="mb-2 flex flex-wrap items-center gap-2 text-sm">
        <StatusBadge status={p.status} />
        <span>
          {formatInt(p.received_units, locale)} of {units(p.units, locale)} received
        </span>
        {twoCurrencies ? (
          <span className="text-slate-600">
            {p.fx_rate
              ? `1 ${p.vendor_currency} = ${formatNumber(p.fx_rate, locale, 4)} ${p.currency} (rate of ${formatDate(p.fx_as_of, locale)})`
              : `no ${p.vendor_currency} rate known: vendor-currency figures missing`}
          </span>
        ) : null}
      </p>
      {p.note ? <p className="mb-2 text-sm text-slate-700">{p.note}</p> : null}
      <Lines po={p} canReceive={hasRole(me.role, 'ops') && p.status === 'open'} />
      <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-700">Total ({p.currency})</dt>
        <dd className="text-right font-medium tabular-nums">{m(p.total_cost)}</dd>
        {twoCurrencies ? (
          <>
            <dt className="text-slate-700">Total ({p.vendor_currency}, the vendor's invoice)</dt>
            <dd className="text-right font-medium tabular-nums">{mv(p.total_cost_vendor)}</dd>
          </>
        ) : null}
        <dt className="text-slate-700">Received so far ({p.currency})</dt>
        <dd className="text-right tabular-nums">{m(p.received_cost)}</dd>
      </dl>
      {p.lines_without_cost > 0 ? (
        <p className="mt-2 rounded border border-amber-300 bg-amber-50 px-2 py-1 text-sm text-amber-950">
          cost missing: {p.lines_without_cost} line{p.lines_without_cost === 1 ? ' has' : 's have'} no unit
          cost and
          {p.lines_without_cost === 1 ? ' is' : ' are'} left out of the totals.
        </p>
      ) : null}
      {hasRole(me.role, 'ops') && p.status === 'open' ? <CancelButton po={p} /> : null}
    </>
  );
}

function Lines({ po, canReceive }: { po: PurchaseOrder; canReceive: boolean }) {
  const locale = useLocale();
  const [typed, setTyped] = useState<Map<string, string>>(() => new Map());
  const [confirming, setConfirming] = useState<'typed' | 'all' | null>(null);
  const { lines, errors } = receiptLines(typed, po.lines);
  const twoCurrencies = po.vendor_currency !== po.currency;
  const m = (v: unknown) => formatMoney(v, po.currency, locale);
  const mv = (v: unknown) => formatMoney(v, po.vendor_currency, locale);
  return (
    <>
      <div className="overflow-x-auto">
        <table className="w-full border-collapse text-sm">
          <caption className="sr-only">Lines of purchase order #{po.id}</caption>
          <thead className="bg-slate-100">
            <tr>
              <th scope="col" className="px-2 py-1 text-left">
                SKU
              </th>
              <th scope="col" className="num px-2 py-1">
                Ordered
              </th>
              <th scope="col" className="num px-2 py-1">
                Received
              </th>
              {twoCurrencies ? (
                <th scope="col" className="num px-2 py-1">
                  Unit {po.vendor_currency}
                </th>
              ) : null}
              <th scope="col" className="num px-2 py-1">
                Unit {po.currency}
              </th>
              {twoCurrencies ? (
                <th scope="col" className="num px-2 py-1">
                  Line {po.vendor_currency}
                </th>
              ) : null}
              <th scope="col" className="num px-2 py-1">
                Line {po.currency}
              </th>
              {canReceive ? (
                <th scope="col" className="num px-2 py-1">
                  Receive now
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {po.lines.map((l) => {
              const outstanding = l.qty - l.received_qty;
              const err = errors.get(l.sku);
              return (
                <tr key={l.sku} className="border-b border-slate-100">
                  <td className="px-2 py-1 font-mono text-xs">{l.sku}</td>
                  <td className="num px-2 py-1">{formatInt(l.qty, locale)}</td>
                  <td className="num px-2 py-1">{formatInt(l.received_qty, locale)}</td>
                  {twoCurrencies ? <td className="num px-2 py-1">{mv(l.unit_cost_vendor)}</td> : null}
                  <td className="num px-2 py-1">{m(l.unit_cost)}</td>
                  {twoCurrencies ? <td className="num px-2 py-1">{mv(l.line_cost_vendor)}</td> : null}
                  <td className="num px-2 py-1">{m(l.line_cost)}</td>
                  {canReceive ? (
                    <td className="num px-2 py-1">
                      {outstanding > 0 ? (
                        <>
                          <input
                            className="input w-20 py-0.5 text-right"
                            inputMode="numeric"
                            aria-label={`Receive now of ${l.sku} (${outstanding} outstanding)`}
                            aria-invalid={err ? true : undefined}
                            placeholder={`≤ ${outstanding}`}
                            value={typed.get(l.sku) ?? ''}
                            onChange={(e) => setTyped((prev) => new Map(prev).set(l.sku, e.target.value))}
                          />
                          {err ? <div className="text-xs text-red-800">{err}</div> : null}
                        </>
                      ) : (
                        <span className="text-xs text-slate-600">all in</span>
                      )}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {canReceive ? (
        <div className="mt-2 flex flex-wrap gap-2">
          <button
            type="button"
            className="btn btn-primary"
            disabled={lines.length === 0 || errors.size > 0}
            onClick={() => setConfirming('typed')}
          >
            Receive typed quantities…
          </button>
          <button type="button" className="btn btn-secondary" onClick={() => setConfirming('all')}>
            Receive everything outstanding…
          </button>
        </div>
      ) : null}
      <ReceiveDialog
        po={po}
        lines={confirming === 'typed' ? lines : undefined}
        open={confirming !== null}
        onOpenChange={(o) => !o && setConfirming(null)}
        onDone={() => {
          setConfirming(null);
          setTyped(new Map());
        }}
      />
    </>
  );
}
