import { Link } from '@tanstack/react-router';
import type { PlanLine, RestockPlan } from '../../api/restock.ts';
import { useLocale } from '../../api/session.ts';
import { formatInt, formatMoney, formatNumber } from '../../lib/format.ts';
import { PanelRow, SidePanel, SidePanelHeader } from '../../ui/side-panel.tsx';
import { FlagBadge } from './columns.tsx';

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
    <SidePanel open={line !== null} onClose={onClose}>
      {line ? (
        <>
          <SidePanelHeader
            title={<span className="font-mono">{line.sku}</span>}
            description={
              <>
                {line.asin ? <span className="font-mono">{line.asin}</span> : 'no ASIN'} ·{' '}
                {line.vendor_name ?? 'no vendor'}
                {line.vendor_sku ? ` · vendor item ${line.vendor_sku}` : ''}
              </>
            }
            closeLabel="Close the inputs"
          />
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
            <PanelRow
              label="Velocity d"
              value={`${n(line.demand, 2)} /day`}
              note="0.5·avg7 + 0.3·avg30 + 0.2·avg90 over in-stock days"
            />
            <PanelRow label="σ" value={`${n(line.sigma, 2)} /day`} note="std-dev of in-stock daily demand" />
            <PanelRow
              label="History"
              value={`${formatInt(line.history_days, locale)} days`}
              note={`${formatInt(line.in_stock_days, locale)} in stock (stock-out days are left out)`}
            />
          </dl>
          <h3 className="text-sm font-semibold">Policy</h3>
          <dl className="mb-3 text-sm">
            <PanelRow
              label="Lead time L"
              value={`${formatInt(line.lead_time_days, locale)} days`}
              note={
                transit !== undefined
                  ? `vendor ${formatInt(line.lead_time_days - transit, locale)} + transit ${formatInt(transit, locale)}`
                  : 'vendor lead time + transit'
              }
            />
            <PanelRow
              label="Review period R"
              value={`${formatInt(review, locale)} days`}
              note="a weekly plan"
            />
            <PanelRow
              label="Safety stock SS"
              value={n(line.safety_stock)}
              note={`z·σ·√(L + R) = ${n(z, 2)} × ${n(line.sigma, 2)} × √${formatInt(line.lead_time_days + review, locale)}${
                p.service_level !== undefined ? ` (service level ${n(p.service_level * 100, 1)} %)` : ''
              }`}
            />
            <PanelRow
              label="Reorder point ROP"
              value={n(line.reorder_point)}
              note={`d·(L + R) + SS = ${n(line.demand, 2)} × ${formatInt(line.lead_time_days + review, locale)} + ${n(line.safety_stock)}`}
            />
            <PanelRow
              label="Order-up-to S"
              value={n(line.order_up_to)}
              note={`ROP + d·C, target cover C = ${cover ?? '?'} days`}
            />
          </dl>
          <h3 className="text-sm font-semibold">Stock</h3>
          <dl className="mb-3 text-sm">
            <PanelRow
              label="Position"
              value={formatInt(line.position, locale)}
              note={`on hand ${formatInt(line.on_hand, locale)} + inbound ${formatInt(line.inbound, locale)} + on order ${formatInt(line.on_order, locale)}`}
            />
            <PanelRow
              label="On order now"
              value={formatInt(line.on_order_now, locale)}
              note={
                line.open_po_ids.length > 0
                  ? `open purchase orders ${line.open_po_ids.map((id) => `#${id}`).join(', ')}`
                  : 'no open purchase order'
              }
            />
            <PanelRow label="Days of cover" value={n(line.days_of_cover)} note="(on hand + inbound) ÷ d" />
            <PanelRow label="Days to stock-out" value={n(line.days_to_stockout)} note="position ÷ d" />
          </dl>
          <h3 className="text-sm font-semibold">Order</h3>
          <dl className="mb-3 text-sm">
            <PanelRow
              label="Suggested quantity"
              value={formatInt(line.qty, locale)}
              note={`S − position, rounded up to cases of ${line.case_pack}${line.moq > 0 ? ` and the MOQ of ${line.moq}` : ''}`}
            />
            <PanelRow label="Unit cost" value={formatMoney(line.unit_cost, plan?.currency, locale)} />
            <PanelRow label="Line cost" value={formatMoney(line.line_cost, plan?.currency, locale)} />
          </dl>
          <p className="rounded-md bg-slate-50 p-2 text-sm text-slate-800">
            <span className="font-medium">Why: </span>
            {line.reason}
          </p>
        </>
      ) : null}
    </SidePanel>
  );
}
