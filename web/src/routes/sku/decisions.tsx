import { useLocale } from '../../api/session.ts';
import { currencySymbol, DASH, formatMoney } from '../../lib/format.ts';
import { RelativeTime } from '../../ui/relative-time.tsx';
import type { Decision, PriceChange } from './types.ts';

// the repricer's guard codes (SPEC §8) in words; an unknown code still shows as itself
const GUARD_WORDS: Record<string, string> = {
  floor: 'floor',
  ceiling: 'ceiling',
  max_step: 'max step per run',
  price_war: 'price-war hold',
  stock_low: 'low stock: not lowered',
  overstock: 'overstock: down to floor',
  no_buybox: 'no buy box: price kept',
  map: 'MAP',
  breaker: 'circuit breaker',
  winning: "don't lower when winning",
};

export function guardWords(g: string): string {
  return GUARD_WORDS[g] ?? g.replace(/_/g, ' ');
}

function guardsOf(d: { guards?: string[] | null; guard?: string | string[] | null }): string[] {
  if (Array.isArray(d.guards)) return d.guards;
  if (Array.isArray(d.guard)) return d.guard;
  return d.guard ? [d.guard] : [];
}

export function GuardChips({ guards }: { guards: string[] }) {
  if (guards.length === 0) return <span className="text-slate-500">none</span>;
  return (
    <span className="inline-flex flex-wrap gap-1">
      {guards.map((g) => (
        <span
          key={g}
          className="rounded-full border border-slate-300 bg-slate-50 px-2 py-0.5 text-xs whitespace-nowrap"
          title="A guard: a rule that stopped or limited the price change"
        >
          {guardWords(g)}
        </span>
      ))}
    </span>
  );
}

function modeWords(mode: string | null | undefined, dryRun?: boolean | null): string {
  if (dryRun || mode === 'dry_run') return 'dry run (logged only)';
  if (mode === 'apply') return 'applied to our price book';
  if (mode === 'live') return 'sent to Amazon';
  return mode ?? DASH;
}

/** One chart marker's decision: from → to, why, the guard that fired, the mode. */
export function ChangeDetail({ change, currency }: { change: PriceChange; currency: string | undefined }) {
  const locale = useLocale();
  return (
    <div className="text-sm text-emerald-950">
      <p>
        <RelativeTime value={typeof change.at === 'number' ? change.at * 1000 : change.at} />:{' '}
        <span className="tabular-nums">
          {formatMoney(change.from, currency, locale)} →{' '}
          <strong>{formatMoney(change.to, currency, locale)}</strong>
        </span>{' '}
        · {modeWords(change.mode, change.dry_run)}
      </p>
      {change.reason ? <p className="mt-0.5">{change.reason}</p> : null}
      <p className="mt-1 text-xs">
        Guard: <GuardChips guards={guardsOf(change)} />
      </p>
    </div>
  );
}

/** The repricer's recent decisions for this ASIN, newest first, with the guards that fired. */
export function Decisions({ decisions, currency }: { decisions: Decision[]; currency: string | undefined }) {
  const locale = useLocale();
  if (decisions.length === 0) {
    return (
      <p className="text-sm text-slate-600">No repricer decisions yet: no enabled rule covers this ASIN.</p>
    );
  }
  const symbol = currencySymbol(currency, locale);
  const money = (d: Decision, v: unknown) => formatMoney(v, d.currency ?? currency, locale);
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm">
        <caption className="sr-only">Recent repricer decisions</caption>
        <thead className="text-left text-xs text-slate-600">
          <tr>
            <th scope="col" className="px-2 py-1">
              When
            </th>
            <th scope="col" className="px-2 py-1">
              SKU
            </th>
            <th scope="col" className="num px-2 py-1">
              Old {symbol}
            </th>
            <th scope="col" className="num px-2 py-1">
              Proposed {symbol}
            </th>
            <th scope="col" className="num px-2 py-1">
              Final {symbol}
            </th>
            <th scope="col" className="num px-2 py-1">
              Floor {symbol}
            </th>
            <th scope="col" className="px-2 py-1">
              Guard that fired
            </th>
            <th scope="col" className="px-2 py-1">
              Mode
            </th>
            <th scope="col" className="px-2 py-1">
              Reason
            </th>
          </tr>
        </thead>
        <tbody>
          {decisions.map((d, i) => (
            <tr key={String(d.id ?? i)} className="border-t border-slate-100 align-top">
              <td className="px-2 py-1 whitespace-nowrap">
                <RelativeTime value={d.created_at ?? d.at} />
              </td>
              <td className="px-2 py-1 font-mono text-xs">{d.sku ?? DASH}</td>
              <td className="num px-2 py-1">{money(d, d.old_price)}</td>
              <td className="num px-2 py-1">{money(d, d.proposed)}</td>
              <td className="num px-2 py-1 font-semibold">
                {money(d, d.final_price)}
                {d.changed === false ? (
                  <span className="block text-xs font-normal text-slate-500">unchanged</span>
                ) : null}
              </td>
              <td className="num px-2 py-1">{money(d, d.floor)}</td>
              <td className="px-2 py-1">
                <GuardChips guards={guardsOf(d)} />
              </td>
              <td className="px-2 py-1 text-xs whitespace-nowrap">{modeWords(d.mode)}</td>
              <td className="px-2 py-1 text-xs text-slate-700">{d.reason ?? DASH}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
