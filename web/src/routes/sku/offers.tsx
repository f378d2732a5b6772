import type { ReactNode } from 'react';
import { useLocale, usePreferences } from '../../api/session.ts';
import { currencySymbol, DASH, formatMoney, formatNumber, formatPct, toNumber } from '../../lib/format.ts';
import { FlagChips } from '../../ui/flag-chip.tsx';
import { RelativeTime } from '../../ui/relative-time.tsx';
import type { Fees, Offer } from './types.ts';

interface Line {
  op: '' | '−' | '=';
  label: string;
  value: ReactNode;
  how: ReactNode;
  strong?: boolean;
}

function times(a: unknown, rate: unknown): number | null {
  const x = toNumber(a);
  const r = toNumber(rate);
  return x === null ? null : x * (r ?? 1);
}

/** ROI against the user's own minimum: colour plus words, never colour alone. */
function RoiVerdict({ roi, min, locale }: { roi: number | null; min: number | null; locale: string }) {
  if (roi === null || min === null) return null;
  const meets = roi >= min;
  return (
    <span className={meets ? 'text-emerald-700' : 'text-red-700'}>
      {meets ? '✓ meets' : '✗ below'} your minimum {formatPct(min, locale, 0)}
    </span>
  );
}

function OfferMath({ o, fees, locale }: { o: Offer; fees: Fees | null; locale: string }) {
  const cur = o.currency ?? undefined;
  const m = (v: unknown) => formatMoney(v, cur, locale);
  const fxNote = (from: string | null | undefined, rate: unknown) => {
    const r = toNumber(rate);
    return from && from !== cur && r !== null ? ` × FX ${formatNumber(r, locale, 6)} (${from}→${cur})` : '';
  };
  const gross = times(o.buybox_price, o.buybox_fx_rate);
  const price = toNumber(o.price);
  const vatRate = toNumber(o.vat_rate);
  const vat = gross !== null && price !== null ? gross - price : null;
  const feeSource = fees?.source ? `${fees.source}` : 'the fees table';
  const feeAt = fees?.captured_at ? (
    <>
      , <RelativeTime value={fees.captured_at} />
    </>
  ) : null;
  const feeFx = fxNote(o.fees_currency, o.fees_fx_rate);
  const unitCost = toNumber(o.unit_cost);
  const freight = toNumber(o.freight);
  const lines: Line[] = [
    {
      op: '',
      label: 'Buy box price',
      value: m(gross),
      how:
        gross === null ? (
          'No buy box price in the last 90 days'
        ) : (
          <>
            {formatMoney(o.buybox_price, o.buybox_currency ?? cur, locale)}
            {fxNote(o.buybox_currency, o.buybox_fx_rate)}, seen <RelativeTime value={o.buybox_at} />
          </>
        ),
    },
    {
      op: '−',
      label: vatRate !== null ? `VAT ${formatPct(vatRate * 100, locale)}` : 'VAT',
      value: m(vat),
      how:
        o.vat_registered === false
          ? 'Not deducted: you are not VAT-registered in this marketplace'
          : `Buy box ÷ (1 + ${vatRate === null ? '?' : formatPct(vatRate * 100, locale)}); rate from ${o.vat_source ?? 'the marketplace'}`,
    },
    { op: '=', label: 'Net price', value: m(price), how: 'What the sale brings in before costs' },
    {
      op: '−',
      label: 'Unit cost',
      value: m(unitCost),
      how: (
        <>
          Vendor cost {formatMoney(o.cost, o.cost_currency ?? cur, locale)}
          {fxNote(o.cost_currency, o.cost_fx_rate)}
          {o.pack_size && o.pack_size > 1 ? `; case pack ${o.pack_size}` : ''}
        </>
      ),
    },
    {
      op: '−',
      label: 'Freight',
      value: m(freight),
      how:
        toNumber(o.weight_kg) === null
          ? 'Product weight unknown'
          : `${formatNumber(o.weight_kg, locale, 3)} kg × ${formatNumber(o.eur_per_kg, locale, 4)} €/kg${
              toNumber(o.freight_fx_rate) !== 1 && toNumber(o.freight_fx_rate) !== null
                ? ` × FX ${formatNumber(o.freight_fx_rate, locale, 6)}`
                : ''
            }${o.lane ? `, lane ${o.lane}` : ''}`,
    },
    {
      op: '−',
      label: 'Referral fee',
      value: m(times(o.referral, o.fees_fx_rate)),
      how: (
        <>
          Amazon's commission on the sale{feeFx}; from {feeSource}
          {feeAt}
          {toNumber(fees?.price_basis) !== null ? ` at a price of ${m(fees?.price_basis)}` : ''}
        </>
      ),
    },
    {
      op: '−',
      label: 'Fulfilment fee',
      value: m(times(o.fulfilment, o.fees_fx_rate)),
      how: o.fba === false ? 'Merchant-fulfilled: no FBA fee' : `FBA pick, pack and ship per unit${feeFx}`,
    },
    {
      op: '−',
      label: 'Storage fee',
      value: m(times(o.storage, o.fees_fx_rate)),
      how: `Monthly FBA storage per unit${feeFx}`,
    },
    {
      op: '−',
      label: 'Other fees',
      value: toNumber(o.other) === null ? DASH : m(times(o.other, o.fees_fx_rate)),
      how: toNumber(o.other) === null ? 'None charged' : `Closing and other per-unit fees${feeFx}`,
    },
    {
      op: '−',
      label: 'Returns allowance',
      value: m(o.returns_allowance),
      how: '(Refunds − reimbursements) over 90 days ÷ units sold then; 0 when unknown',
    },
    {
      op: '=',
      label: 'Profit',
      value: m(o.profit),
      how: 'Net price − unit cost − freight − fees − returns allowance',
      strong: true,
    },
    {
      op: '',
      label: 'ROI',
      value: formatPct(o.roi_pct, locale),
      how:
        toNumber(o.roi_pct) === null
          ? 'Not computed: an input is missing (see the flags)'
          : `Profit ÷ (unit cost + freight) = ${m(o.profit)} ÷ ${m((unitCost ?? 0) + (freight ?? 0))}`,
      strong: true,
    },
    {
      op: '',
      label: 'Margin',
      value: formatPct(o.margin_pct, locale),
      how: `Profit ÷ net price = ${m(o.profit)} ÷ ${m(price)}`,
    },
  ];
  const symbol = currencySymbol(cur, locale);
  return (
    <table className="w-full text-sm">
      <caption className="sr-only">
        Landed cost and profit of {o.vendor_name}'s offer {o.sku}
      </caption>
      <thead className="text-left text-xs text-slate-600">
        <tr>
          <th scope="col" className="w-6 px-1 py-1">
            <span className="sr-only">Operation</span>
          </th>
          <th scope="col" className="px-2 py-1">
            Item
          </th>
          <th scope="col" className="num px-2 py-1">
            Amount{symbol ? ` ${symbol}` : ''}
          </th>
          <th scope="col" className="px-2 py-1">
            Input and source
          </th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l) => (
          <tr key={l.label} className={`border-t border-slate-100 ${l.strong ? 'font-semibold' : ''}`}>
            <td className="px-1 py-1 text-center text-slate-500" aria-hidden>
              {l.op}
            </td>
            <th scope="row" className="px-2 py-1 text-left font-[inherit] whitespace-nowrap">
              {l.label}
            </th>
            <td className="num px-2 py-1 whitespace-nowrap">{l.value}</td>
            <td className="px-2 py-1 text-xs font-normal text-slate-600">{l.how}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Every vendor offer of the ASIN with its landed-cost math (UI.md: show the math), best first. */
export function Offers({ offers, fees }: { offers: Offer[]; fees: Fees | null }) {
  const locale = useLocale();
  const prefs = usePreferences();
  if (offers.length === 0) {
    return (
      <p className="text-sm text-slate-600">
        No vendor offers this ASIN yet: import a price list that lists it.
      </p>
    );
  }
  return (
    <div className="space-y-2">
      {offers.map((o, i) => (
        <details key={`${o.vendor_id}-${o.sku}`} open={i === 0} className="card group">
          <summary className="flex cursor-pointer flex-wrap items-center gap-x-4 gap-y-1 px-3 py-2">
            <span className="font-medium text-slate-900">{o.vendor_name}</span>
            <span className="font-mono text-xs text-slate-600">{o.sku}</span>
            {o.best ? (
              <span className="rounded-full bg-blue-50 px-2 py-0.5 text-xs font-medium text-blue-900">
                best offer
              </span>
            ) : null}
            <span className="text-sm tabular-nums">
              ROI <strong>{formatPct(o.roi_pct, locale)}</strong>
            </span>
            <span className="text-sm tabular-nums">
              Profit <strong>{formatMoney(o.profit, o.currency, locale)}</strong>
            </span>
            <span className="text-xs">
              <RoiVerdict roi={toNumber(o.roi_pct)} min={prefs.min_roi_pct} locale={locale} />
            </span>
            <FlagChips flags={o.flags} ean={o.asin_source === 'ean' ? o.barcode : null} />
          </summary>
          <div className="border-t border-slate-200 px-3 py-2">
            <OfferMath o={o} fees={fees} locale={locale} />
            <p className="mt-1 text-xs text-slate-500">
              Computed <RelativeTime value={o.computed_at} />
              {o.vendor_country ? ` · vendor in ${o.vendor_country}` : ''}
              {o.asin_source ? ` · ASIN from ${o.asin_source}` : ''}
            </p>
          </div>
        </details>
      ))}
    </div>
  );
}
