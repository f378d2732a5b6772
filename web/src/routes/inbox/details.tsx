import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useLocale } from '../../api/session.ts';
import { DASH, formatDateTime, formatInt, formatMoney, formatPct } from '../../lib/format.ts';
import { PanelRow } from '../../ui/side-panel.tsx';

type Row = Record<string, unknown>;
const SHOWN = 25;

interface Col {
  head: string;
  num?: boolean;
  cell: (r: Row) => ReactNode;
}

function LinesTable({ caption, cols, rows }: { caption: string; cols: Col[]; rows: Row[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full border-collapse text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-100">
          <tr>
            {cols.map((c) => (
              <th
                key={c.head}
                scope="col"
                className={`px-2 py-1 align-bottom ${c.num ? 'num' : 'text-left'}`}
              >
                {c.head}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, SHOWN).map((r, i) => (
            <tr key={String(r['sku'] ?? i)} className="border-b border-slate-100">
              {cols.map((c) => (
                <td key={c.head} className={`px-2 py-1 whitespace-nowrap ${c.num ? 'num' : ''}`}>
                  {c.cell(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const sku = (r: Row) => <span className="font-mono text-xs">{String(r['sku'] ?? DASH)}</span>;

/** What a task carries, as a small table: a reorder's lines, a price list's changed costs, or figures. */
export function TaskDetails({ type, details }: { type: string; details: unknown }) {
  const locale = useLocale();
  if (!details || typeof details !== 'object') return null;
  const d = details as Row;
  const lines = Array.isArray(d['lines']) ? (d['lines'] as Row[]) : null;
  const money = (v: unknown, cur: unknown) => formatMoney(v, typeof cur === 'string' ? cur : null, locale);
  const more = (n: number, where: ReactNode) =>
    n > SHOWN ? (
      <p className="mt-1 text-xs text-slate-600">
        The first {SHOWN} of {formatInt(n, locale)} lines; {where}
      </p>
    ) : null;

  if (type === 'reorder' && lines) {
    const cur = d['currency'];
    return (
      <>
        <LinesTable
          caption="Lines of the purchase order"
          rows={lines}
          cols={[
            { head: 'SKU', cell: sku },
            { head: 'Qty', num: true, cell: (r) => formatInt(r['qty'], locale) },
            { head: `Unit ${cur ?? ''}`.trim(), num: true, cell: (r) => money(r['unit_cost'], cur) },
            { head: `Line ${cur ?? ''}`.trim(), num: true, cell: (r) => money(r['line_cost'], cur) },
            { head: 'Stock-out days', num: true, cell: (r) => formatInt(r['days_to_stockout'], locale) },
            { head: 'Lead days', num: true, cell: (r) => formatInt(r['lead_time_days'], locale) },
          ]}
        />
        <p className="mt-1 text-sm">
          {formatInt(d['units'], locale)} units for {money(d['cost'], cur)}
        </p>
        {more(
          lines.length,
          <Link to="/restock" className="link">
            the restock plan has them all
          </Link>,
        )}
      </>
    );
  }
  if (type === 'vendor_cost_increase' && lines) {
    return (
      <>
        <LinesTable
          caption="Changed costs of the price list"
          rows={lines}
          cols={[
            { head: 'SKU', cell: sku },
            { head: 'Cost before', num: true, cell: (r) => money(r['old_cost'], r['currency']) },
            { head: 'Cost now', num: true, cell: (r) => money(r['cost'], r['currency']) },
            { head: 'Change %', num: true, cell: (r) => `+${formatPct(r['pct'], locale)}` },
            { head: 'ROI %', num: true, cell: (r) => formatPct(r['roi_pct'], locale) },
          ]}
        />
        {more(Number(d['line_count'] ?? lines.length), 'the price list has them all.')}
      </>
    );
  }
  const cur = d['currency'];
  const rows = Object.entries(d).filter(
    ([k, v]) => k !== 'currency' && v !== null && (typeof v !== 'object' || Array.isArray(v)),
  );
  if (rows.length === 0) return null;
  const show = (k: string, v: unknown): ReactNode => {
    if (Array.isArray(v)) return v.length ? v.join(', ') : 'none';
    if (/price|buybox|floor|profit|fees|cost/.test(k) && typeof cur === 'string') return money(v, cur);
    if (k.endsWith('_at') && typeof v === 'string') return formatDateTime(v, locale);
    return String(v);
  };
  return (
    <dl className="text-sm">
      {rows.map(([k, v]) => (
        <PanelRow key={k} label={k.replace(/_/g, ' ')} value={show(k, v)} />
      ))}
    </dl>
  );
}
