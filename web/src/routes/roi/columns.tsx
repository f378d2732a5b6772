import type { RoiRow } from '../../api/roi.ts';
import type { Preferences } from '../../api/session.ts';
import { formatMoney, formatNumber, formatPct } from '../../lib/format.ts';
import { asinColumn } from '../../ui/cells.tsx';
import type { DataColumn } from '../../ui/data-table.tsx';
import { FlagChip, FlagChips } from '../../ui/flag-chip.tsx';
import { ThresholdCell } from '../../ui/threshold-cell.tsx';

export interface ColumnContext {
  locale: string;
  /** Opens the offer's breakdown in the side panel (the title is its keyboard-reachable button). */
  onOpen: (row: RoiRow) => void;
  /** Symbol of the marketplace currency for headers (`Price €`). */
  symbol: string;
  prefs: Preferences;
}

const DECISION_WORDS: Record<string, string> = {
  approved: 'approved',
  rejected: 'rejected',
  observe: 'observe',
  pending: 'no decision',
};

const DECISION_STYLE: Record<string, string> = {
  approved: 'bg-green-100 text-green-900',
  rejected: 'bg-red-100 text-red-900',
  observe: 'bg-sky-100 text-sky-900',
};

/** The ROI review's columns; `sortable` ids are the API's sort keys. */
export function roiColumns({ locale, symbol, prefs, onOpen }: ColumnContext): DataColumn<RoiRow>[] {
  const unit = symbol ? ` ${symbol}` : '';
  const money = (v: unknown, row: RoiRow) => formatMoney(v, row.currency, locale);
  return [
    asinColumn<RoiRow>(),
    {
      id: 'title',
      header: 'Title',
      width: 230,
      cell: (r) => (
        <button
          type="button"
          className="block w-full truncate text-left hover:underline"
          title={r.title ?? undefined}
          onClick={() => onOpen(r)}
        >
          {r.title ?? <span className="text-slate-400">(no title)</span>}
        </button>
      ),
    },
    {
      id: 'vendor',
      header: 'Vendor',
      sortable: true,
      width: 150,
      cell: (r) => (
        <span className="block truncate" title={`${r.vendor_name} · SKU ${r.sku}`}>
          {r.vendor_name}
        </span>
      ),
    },
    { id: 'sku', header: 'Vendor SKU', cell: (r) => <span className="font-mono text-xs">{r.sku}</span> },
    { id: 'category', header: 'Category', cell: (r) => r.category ?? '' },
    {
      id: 'unit_cost',
      header: `Unit cost${unit}`,
      numeric: true,
      title: 'Vendor price per unit (pack price ÷ pack size), converted to the marketplace currency',
      cell: (r) => money(r.unit_cost, r),
    },
    {
      id: 'freight',
      header: `Freight${unit}`,
      numeric: true,
      title: 'Freight per unit: weight × the lane’s rate per kg',
      cell: (r) => money(r.freight, r),
    },
    {
      id: 'fees',
      header: `FBA fees${unit}`,
      numeric: true,
      title: 'Amazon fees per unit: referral + fulfilment + storage',
      cell: (r) => money(r.fees, r),
    },
    {
      id: 'buybox',
      header: `Buy box${unit}`,
      numeric: true,
      title: 'The buy box price, VAT included, in the currency it was seen in',
      cell: (r) => formatMoney(r.buybox_price, r.buybox_currency ?? r.currency, locale),
    },
    {
      id: 'price',
      header: `Net price${unit}`,
      numeric: true,
      title: 'What the seller keeps of the buy box: net of VAT when VAT-registered',
      cell: (r) => money(r.price, r),
    },
    {
      id: 'profit',
      header: `Profit${unit}`,
      numeric: true,
      sortable: true,
      title: 'Net price − fees − unit cost − freight − returns allowance',
      cell: (r) => (
        <ThresholdCell measure="profit" value={r.profit} thresholds={prefs}>
          {money(r.profit, r)}
        </ThresholdCell>
      ),
    },
    {
      id: 'roi',
      header: 'ROI %',
      numeric: true,
      sortable: true,
      hideable: false,
      title: 'Profit ÷ (unit cost + freight)',
      cell: (r) =>
        r.roi_pct === null && r.flags.length > 0 ? (
          <span className="inline-flex items-center gap-1 text-slate-400">
            —<FlagChip flag={r.flags[0]!} ean={r.barcode} />
          </span>
        ) : (
          <ThresholdCell measure="roi" value={r.roi_pct} thresholds={prefs}>
            {formatPct(r.roi_pct, locale)}
          </ThresholdCell>
        ),
    },
    {
      id: 'margin',
      header: 'Margin %',
      numeric: true,
      sortable: true,
      title: 'Profit ÷ net price',
      cell: (r) => formatPct(r.margin_pct, locale),
    },
    {
      id: 'score',
      header: 'Score',
      numeric: true,
      title: 'SKU score 0–100 (profitability, demand, competition, price stability, returns)',
      cell: (r) => formatNumber(r.score, locale, 1, true),
    },
    {
      id: 'decision',
      header: 'Decision',
      cell: (r) => {
        const s = r.product_status ?? 'pending';
        return (
          <span
            className={`rounded px-1.5 py-0.5 text-xs whitespace-nowrap ${DECISION_STYLE[s] ?? 'text-slate-700'}`}
          >
            {DECISION_WORDS[s] ?? s}
          </span>
        );
      },
    },
    {
      id: 'flags',
      header: 'Flags',
      cell: (r) => (
        <span className="inline-flex gap-1">
          <FlagChips flags={r.flags} ean={r.barcode} />
          {r.asin_source === 'barcode' ? <FlagChip flag="match_by_ean" ean={r.barcode} /> : null}
        </span>
      ),
    },
  ];
}

// the breakdown panel shows every input; the grid keeps to what a buyer scans first
export const ROI_HIDDEN_BY_DEFAULT = ['sku', 'category', 'freight', 'price'];
export const ROI_LOCKED = ['asin', 'roi'];
