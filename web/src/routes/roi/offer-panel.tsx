import { Link } from '@tanstack/react-router';
import type { RoiRow } from '../../api/roi.ts';
import { useLocale } from '../../api/session.ts';
import { FLAG_REASONS, flagWords } from '../../lib/flags.ts';
import { formatMoney, formatNumber, formatPct } from '../../lib/format.ts';
import { RelativeTime } from '../../ui/relative-time.tsx';
import { PanelRow, SidePanel, SidePanelHeader } from '../../ui/side-panel.tsx';

/**
 * The offer's math beside the table (the table keeps its state): every input, its source, and the
 * formula in words. A missing input shows its flag and reason instead of a silent zero.
 */
export function OfferPanel({ row, onClose }: { row: RoiRow | null; onClose: () => void }) {
  const locale = useLocale();
  const m = (v: unknown, c?: string | null) => formatMoney(v, c ?? row?.currency, locale);
  const n = (v: unknown, d = 4) => formatNumber(v, locale, d);
  return (
    <SidePanel open={row !== null} onClose={onClose}>
      {row ? (
        <>
          <SidePanelHeader
            title={row.title ?? row.asin}
            description={
              <>
                <span className="font-mono">{row.asin}</span> · {row.vendor_name} · SKU {row.sku}
                {row.barcode ? ` · EAN ${row.barcode}` : ''}
              </>
            }
            closeLabel="Close the breakdown"
          />
          <Link to="/sku/$asin" params={{ asin: row.asin }} className="btn btn-primary mb-4">
            Open the SKU page (chart, all offers)
          </Link>
          {row.flags.length > 0 || row.asin_source === 'barcode' ? (
            <ul className="mb-3 space-y-1 rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-950">
              {row.flags.map((f) => (
                <li key={f}>
                  <strong>{flagWords(f)}</strong>: {FLAG_REASONS[f] ?? ''}
                </li>
              ))}
              {row.asin_source === 'barcode' ? (
                <li>
                  <strong>{flagWords('match_by_ean', row.barcode)}</strong>: {FLAG_REASONS['match_by_ean']}
                </li>
              ) : null}
            </ul>
          ) : null}
          <h3 className="mt-2 text-sm font-semibold">How the ROI is computed</h3>
          <dl className="text-sm">
            <PanelRow
              label="Buy box"
              value={m(row.buybox_price, row.buybox_currency)}
              note={
                row.buybox_at ? (
                  <>
                    seen <RelativeTime value={row.buybox_at} />
                  </>
                ) : (
                  'no buy box seen'
                )
              }
            />
            <PanelRow
              label="Net price"
              value={m(row.price)}
              note={
                row.vat_registered
                  ? `buy box ÷ (1 + VAT ${formatPct((row.vat_rate ?? 0) * 100, locale)}, ${row.vat_source ?? ''} rate)`
                  : 'buy box (not VAT-registered: VAT is part of the cost)'
              }
            />
            <PanelRow
              label="Unit cost"
              value={m(row.unit_cost)}
              note={
                row.cost !== undefined && row.cost !== null
                  ? `${m(row.cost, row.cost_currency)} per unit${
                      row.cost_currency && row.cost_currency !== row.currency
                        ? ` × ${n(row.cost_fx_rate, 6)} (${row.cost_currency}→${row.currency})`
                        : ''
                    }${row.pack_size && row.pack_size > 1 ? `, case of ${row.pack_size}` : ''}`
                  : undefined
              }
            />
            <PanelRow
              label="Freight"
              value={m(row.freight)}
              note={
                row.weight_kg != null && row.eur_per_kg != null
                  ? `${n(row.weight_kg, 3)} kg × ${n(row.eur_per_kg, 4)}/kg${row.lane ? `, lane ${row.lane}` : ''}`
                  : 'weight or lane unknown'
              }
            />
            <PanelRow
              label="FBA fees"
              value={m(row.fees, row.currency)}
              note={`referral ${m(row.referral)} + fulfilment ${m(row.fulfilment)} + storage ${m(row.storage)}${
                row.other != null ? ` + other ${m(row.other)}` : ''
              }`}
            />
            <PanelRow
              label="Returns allowance"
              value={m(row.returns_allowance)}
              note="(refunds − reimbursements) ÷ units sold, 90 days"
            />
            <PanelRow
              label="Profit"
              value={m(row.profit)}
              note="net price − fees − unit cost − freight − returns allowance"
            />
            <PanelRow
              label="ROI"
              value={formatPct(row.roi_pct, locale)}
              note="profit ÷ (unit cost + freight)"
            />
            <PanelRow label="Margin" value={formatPct(row.margin_pct, locale)} note="profit ÷ net price" />
            <PanelRow
              label="Score"
              value={formatNumber(row.score, locale, 1)}
              note="0–100, from the nightly scoring"
            />
          </dl>
          {row.computed_at ? (
            <p className="mt-3 text-xs text-slate-500">
              Computed <RelativeTime value={row.computed_at} />.
            </p>
          ) : null}
        </>
      ) : null}
    </SidePanel>
  );
}
