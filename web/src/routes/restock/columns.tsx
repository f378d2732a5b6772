import { Link } from '@tanstack/react-router';
import type { PlanLine } from '../../api/restock.ts';
import { formatInt, formatMoney, formatNumber } from '../../lib/format.ts';
import { flagInfo } from '../../lib/restock-flags.ts';
import { orderedQty, roundingNote } from '../../lib/restock-qty.ts';
import { parseQty } from '../../lib/restock-search.ts';
import type { DataColumn } from '../../ui/data-table.tsx';

export interface RestockColumnContext {
  locale: string;
  currency: string;
  symbol: string;
  onOpen: (line: PlanLine) => void;
  /** The text typed per SKU (null: viewers, who cannot order). */
  typed: ReadonlyMap<string, string> | null;
  onType: (line: PlanLine, text: string) => void;
}

// the panel beside the table shows every input; the chooser brings these back as columns
export const RESTOCK_HIDDEN_BY_DEFAULT = ['sigma', 'lead_time', 'safety_stock', 'unit_cost'] as const;
export const RESTOCK_LOCKED = ['flag', 'sku', 'order_qty'] as const;

export function FlagBadge({ flag, overstock }: { flag: string; overstock?: boolean }) {
  const f = flagInfo(flag);
  return (
    <span className="inline-flex gap-1">
      <span
        className={`inline-flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs font-medium ${f.className}`}
        title={f.explain}
      >
        <span aria-hidden>{f.icon}</span>
        {f.label}
      </span>
      {overstock ? (
        <span
          className="inline-flex items-center rounded-full border border-sky-300 bg-sky-50 px-2 py-0.5 text-xs font-medium text-sky-900"
          title="days of cover above 150 % of the target"
        >
          overstock
        </span>
      ) : null}
    </span>
  );
}

function QtyCell({ line, ctx }: { line: PlanLine; ctx: RestockColumnContext }) {
  const text = ctx.typed?.get(line.sku) ?? '';
  const parsed = parseQty(text);
  const typed = parsed && 'qty' in parsed ? parsed.qty : undefined;
  const { wanted, rounded } = orderedQty(line, typed);
  const note = roundingNote(wanted, rounded);
  const noVendor = line.vendor_id === null;
  return (
    <span className="inline-flex items-center gap-1.5">
      <input
        className="input w-16 py-0.5 text-right tabular-nums"
        inputMode="numeric"
        aria-label={`Order quantity for ${line.sku}`}
        aria-invalid={parsed && 'error' in parsed ? true : undefined}
        placeholder={String(line.qty)}
        value={text}
        disabled={noVendor}
        title={
          noVendor ? 'no vendor offer: no one to order from' : 'units wanted; rounded up to case pack and MOQ'
        }
        onChange={(e) => ctx.onType(line, e.target.value)}
      />
      {parsed && 'error' in parsed ? (
        <span className="text-xs text-red-800">{parsed.error}</span>
      ) : (
        <span className="text-xs text-slate-700" data-testid={`rounded-${line.sku}`}>
          → <strong className="tabular-nums">{formatInt(rounded.qty, ctx.locale)}</strong>
          {note ? ` · ${note}` : ''}
        </span>
      )}
    </span>
  );
}

/** The restock plan's columns; `sortable` ids are the API's sort keys. */
export function restockColumns(ctx: RestockColumnContext): DataColumn<PlanLine>[] {
  const { locale, currency, symbol } = ctx;
  const unit = symbol ? ` ${symbol}` : '';
  const n = (v: unknown, d = 1) => formatNumber(v, locale, d);
  return [
    {
      id: 'flag',
      header: 'Status',
      hideable: false,
      cell: (l) => <FlagBadge flag={l.flag} overstock={l.overstock} />,
    },
    {
      id: 'sku',
      header: 'SKU',
      sortable: true,
      hideable: false,
      width: 130,
      cell: (l) => (
        <button
          type="button"
          className="block max-w-full truncate text-left font-mono text-xs text-blue-800 hover:underline"
          title="Show the inputs behind this line"
          onClick={() => ctx.onOpen(l)}
        >
          {l.sku}
        </button>
      ),
    },
    {
      id: 'vendor',
      header: 'Vendor',
      sortable: true,
      width: 130,
      cell: (l) =>
        l.vendor_name ? (
          <span className="block truncate" title={l.vendor_sku ? `vendor item ${l.vendor_sku}` : undefined}>
            {l.vendor_name}
          </span>
        ) : (
          <span className="text-slate-500">no vendor</span>
        ),
    },
    {
      id: 'qty',
      header: 'Suggested',
      numeric: true,
      sortable: true,
      title: 'order-up-to − position, rounded up to case pack and MOQ',
      cell: (l) => formatInt(l.qty, locale),
    },
    ...(ctx.typed
      ? ([
          {
            id: 'order_qty',
            header: 'Order qty',
            hideable: false,
            width: 220,
            cell: (l: PlanLine) => <QtyCell line={l} ctx={ctx} />,
          },
        ] satisfies DataColumn<PlanLine>[])
      : []),
    {
      id: 'unit_cost',
      header: `Unit cost${unit}`,
      numeric: true,
      cell: (l) => formatMoney(l.unit_cost, currency, locale),
    },
    {
      id: 'line_cost',
      header: `Line cost${unit}`,
      numeric: true,
      sortable: true,
      title: 'suggested qty × unit cost',
      cell: (l) => formatMoney(l.line_cost, currency, locale),
    },
    {
      id: 'demand',
      header: 'Units/day',
      numeric: true,
      sortable: true,
      title: 'd = 0.5·avg7 + 0.3·avg30 + 0.2·avg90 over in-stock days',
      cell: (l) => n(l.demand, 2),
    },
    {
      id: 'sigma',
      header: 'σ /day',
      numeric: true,
      title: 'std-dev of in-stock daily demand',
      cell: (l) => n(l.sigma, 2),
    },
    {
      id: 'lead_time',
      header: 'Lead time d',
      numeric: true,
      title: 'vendor lead time + inbound transit',
      cell: (l) => formatInt(l.lead_time_days, locale),
    },
    {
      id: 'safety_stock',
      header: 'Safety stock',
      numeric: true,
      title: 'z·σ·√(L + R)',
      cell: (l) => n(l.safety_stock),
    },
    {
      id: 'reorder_point',
      header: 'ROP',
      numeric: true,
      title: 'reorder point = d·(L + R) + SS',
      cell: (l) => n(l.reorder_point),
    },
    {
      id: 'position',
      header: 'Position',
      numeric: true,
      title: 'on hand / inbound / on order, as the plan counted them',
      cell: (l) => (
        <span>
          <strong>{formatInt(l.position, locale)}</strong>{' '}
          <span className="text-xs text-slate-600">
            ({[l.on_hand, l.inbound, l.on_order].map((v) => formatInt(v, locale)).join('/')})
          </span>
        </span>
      ),
    },
    {
      id: 'on_order_now',
      header: 'On order',
      numeric: true,
      title:
        'outstanding on open purchase orders now (the plan counted its own on-order figure when computed)',
      cell: (l) =>
        l.open_po_ids.length > 0 ? (
          <Link
            to="/purchase-orders"
            search={{ po: l.open_po_ids[l.open_po_ids.length - 1] } as never}
            className="text-blue-800 hover:underline"
            title={`open purchase orders ${l.open_po_ids.map((id) => `#${id}`).join(', ')}`}
          >
            {formatInt(l.on_order_now, locale)}
          </Link>
        ) : (
          formatInt(l.on_order_now, locale)
        ),
    },
    {
      id: 'days_of_cover',
      header: 'Cover days',
      numeric: true,
      sortable: true,
      title: 'days of cover = (on hand + inbound) ÷ velocity',
      cell: (l) => n(l.days_of_cover),
    },
    {
      id: 'days_to_stockout',
      header: 'Stock-out d',
      numeric: true,
      sortable: true,
      title: 'days to stock-out = position ÷ velocity',
      cell: (l) => n(l.days_to_stockout),
    },
  ];
}
