import * as Dialog from '@radix-ui/react-dialog';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import type { PlanLine, RestockPlan } from '../../api/restock.ts';
import { useLocale } from '../../api/session.ts';
import { formatInt, formatMoney, formatNumber } from '../../lib/format.ts';
import { FlagBadge } from './columns.tsx';

function Row({ label, value, note }: { label: string; value: ReactNode; note?: ReactNode }) {
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

/**
 * The inputs behind one plan line, beside the table (which keeps its state): the demand figures, the
 * lead time, the policy's numbers and each formula with the values put in.
 */
export function LinePanel({
  line,
  plan,
  onClose,
}: {
  line: PlanLine | null;
  plan: RestockPlan | undefined;
  onClose: () => void;
}) {
  const locale = useLocale();
  const n = (v: unknown, d = 1) => formatNumber(v, locale, d);
  const p = plan?.params ?? {};
  const review = p.review_days ?? 7;
  const transit = p.transit_days;
  const z = p.z;
  const cover = p.cover_days;
  return (
    <Dialog.Root open={line !== null} onOpenChange={(o) => !o && onClose()} modal={false}>
      <Dialog.Portal>
        <Dialog.Content
          className="fixed top-14 right-0 bottom-0 z-30 w-[min(28rem,100vw)] overflow-y-auto border-l border-slate-200 bg-white p-4 shadow-xl focus:outline-none"
          onInteractOutside={(e) => e.preventDefault()}
        >
          {line ? (
            <>
              <div className="mb-3 flex items-start justify-between gap-2">
                <div className="min-w-0">
                  <Dialog.Title className="text-base font-semibold">
                    <span className="font-mono">{line.sku}</span>
                  </Dialog.Title>
                  <Dialog.Description className="text-sm text-slate-600">
                    {line.asin ? <span className="font-mono">{line.asin}</span> : 'no ASIN'} ·{' '}
                    {line.vendor_name ?? 'no vendor'}
                    {line.vendor_sku ? ` · vendor item ${line.vendor_sku}` : ''}
                  </Dialog.Description>
                </div>
                <Dialog.Close className="btn btn-secondary px-2" aria-label="Close the inputs">
                  ✕
                </Dialog.Close>
              </div>
              <p className="mb-3">
                <FlagBadge flag={line.flag} overstock={line.overstock} />
              </p>
              {line.asin ? (
                <Link to="/sku/$asin" params={{ asin: line.asin }} className="btn btn-secondary mb-3">
                  Open the SKU page
                </Link>
              ) : null}
              <h3 className="text-sm font-semibold">Demand</h3>
              <dl className="mb-3 text-sm">
                <Row
                  label="Velocity d"
                  value={`${n(line.demand, 2)} /day`}
                  note="0.5·avg7 + 0.3·avg30 + 0.2·avg90 over in-stock days"
                />
                <Row label="σ" value={`${n(line.sigma, 2)} /day`} note="std-dev of in-stock daily demand" />
                <Row
                  label="History"
                  value={`${formatInt(line.history_days, locale)} days`}
                  note={`${formatInt(line.in_stock_days, locale)} in stock (stock-out days are left out)`}
                />
              </dl>
              <h3 className="text-sm font-semibold">Policy</h3>
              <dl className="mb-3 text-sm">
                <Row
                  label="Lead time L"
                  value={`${formatInt(line.lead_time_days, locale)} days`}
                  note={
                    transit !== undefined
                      ? `vendor ${formatInt(line.lead_time_days - transit, locale)} + transit ${formatInt(transit, locale)}`
                      : 'vendor lead time + transit'
                  }
                />
                <Row
                  label="Review period R"
                  value={`${formatInt(review, locale)} days`}
                  note="a weekly plan"
                />
                <Row
                  label="Safety stock SS"
                  value={n(line.safety_stock)}
                  note={`z·σ·√(L + R) = ${n(z, 2)} × ${n(line.sigma, 2)} × √${formatInt(line.lead_time_days + review, locale)}${
                    p.service_level !== undefined ? ` (service level ${n(p.service_level * 100, 1)} %)` : ''
                  }`}
                />
                <Row
                  label="Reorder point ROP"
                  value={n(line.reorder_point)}
                  note={`d·(L + R) + SS = ${n(line.demand, 2)} × ${formatInt(line.lead_time_days + review, locale)} + ${n(line.safety_stock)}`}
                />
                <Row
                  label="Order-up-to S"
                  value={n(line.order_up_to)}
                  note={`ROP + d·C, target cover C = ${cover ?? '?'} days`}
                />
              </dl>
              <h3 className="text-sm font-semibold">Stock</h3>
              <dl className="mb-3 text-sm">
                <Row
                  label="Position"
                  value={formatInt(line.position, locale)}
                  note={`on hand ${formatInt(line.on_hand, locale)} + inbound ${formatInt(line.inbound, locale)} + on order ${formatInt(line.on_order, locale)}`}
                />
                <Row
                  label="On order now"
                  value={formatInt(line.on_order_now, locale)}
                  note={
                    line.open_po_ids.length > 0
                      ? `open purchase orders ${line.open_po_ids.map((id) => `#${id}`).join(', ')}`
                      : 'no open purchase order'
                  }
                />
                <Row label="Days of cover" value={n(line.days_of_cover)} note="(on hand + inbound) ÷ d" />
                <Row label="Days to stock-out" value={n(line.days_to_stockout)} note="position ÷ d" />
              </dl>
              <h3 className="text-sm font-semibold">Order</h3>
              <dl className="mb-3 text-sm">
                <Row
                  label="Suggested quantity"
                  value={formatInt(line.qty, locale)}
                  note={`S − position, rounded up to cases of ${line.case_pack}${line.moq > 0 ? ` and the MOQ of ${line.moq}` : ''}`}
                />
                <Row label="Unit cost" value={formatMoney(line.unit_cost, plan?.currency, locale)} />
                <Row label="Line cost" value={formatMoney(line.line_cost, plan?.currency, locale)} />
              </dl>
              <p className="rounded-md bg-slate-50 p-2 text-sm text-slate-800">
                <span className="font-medium">Why: </span>
                {line.reason}
              </p>
            </>
          ) : null}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
