import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { type ReactNode, useMemo, useState } from 'react';
import {
  type ApplyMode,
  type ApplyResult,
  applyPrices,
  repricerSettingsQuery,
  type SimulatedDecision,
  simulationQuery,
} from '../../api/repricer.ts';
import { hasRole, useCurrency, useLocale, useMe } from '../../api/session.ts';
import { currencySymbol, formatInt, formatMoney, formatPct } from '../../lib/format.ts';
import { type RepricerSearch, updateRepricerSearch } from '../../lib/repricer-search.ts';
import { ConfirmDialog } from '../../ui/confirm-dialog.tsx';
import { type DataColumn, DataTable, type Selection } from '../../ui/data-table.tsx';
import { Pager } from '../../ui/pager.tsx';
import { Empty, ErrorState, Loading } from '../../ui/states.tsx';
import { ChangeCell, GuardChips, reasonColumn } from './decision-cells.tsx';
import { route } from './route.tsx';
import { SkuFilter } from './sku-filter.tsx';

const MODE_WORDS: Record<ApplyMode, { label: string; help: string }> = {
  dry_run: { label: 'Dry run', help: 'Decide and log only: no price is set.' },
  apply: { label: 'Price book', help: "Set the prices in AWA's price book; Amazon is not told." },
  live: { label: 'Live', help: 'Set the prices and send them to Amazon now.' },
};

export function SimulateTab() {
  const search = route.useSearch();
  const navigate = useNavigate({ from: route.fullPath });
  const setSearch = (patch: Partial<Record<keyof RepricerSearch, unknown>>) =>
    void navigate({ search: (prev: RepricerSearch) => updateRepricerSearch(prev, patch) });
  const queryClient = useQueryClient();
  const me = useMe();
  const locale = useLocale();
  const currency = useCurrency();
  const canApply = hasRole(me.role, 'ops');
  const settings = useQuery(repricerSettingsQuery).data;
  const result = useQuery(simulationQuery(search));
  const rows = result.data?.items ?? EMPTY;
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [open, setOpen] = useState(false);
  const [mode, setMode] = useState<ApplyMode>('dry_run');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<ApplyResult | null>(null);

  const unit = currencySymbol(currency, locale);
  const columns = useMemo<DataColumn<SimulatedDecision>[]>(() => {
    const money = (v: unknown, r: SimulatedDecision) => formatMoney(v, r.currency, locale);
    const u = unit ? ` ${unit}` : '';
    return [
      { id: 'sku', header: 'SKU', cell: (r) => <span className="font-mono text-xs">{r.sku}</span> },
      {
        id: 'asin',
        header: 'ASIN',
        cell: (r) =>
          r.asin ? (
            <Link
              to="/sku/$asin"
              params={{ asin: r.asin }}
              className="font-mono text-xs text-blue-800 hover:underline"
            >
              {r.asin}
            </Link>
          ) : (
            '—'
          ),
      },
      { id: 'old', header: `Current${u}`, numeric: true, cell: (r) => money(r.old_price, r) },
      { id: 'buybox', header: `Buy box${u}`, numeric: true, cell: (r) => money(r.buybox, r) },
      {
        id: 'floor',
        header: `Floor${u}`,
        numeric: true,
        title:
          'The lowest price allowed: the price that keeps your minimum ROI, your min price or MAP, whichever is highest',
        cell: (r) => money(r.floor, r),
      },
      { id: 'ceiling', header: `Ceiling${u}`, numeric: true, cell: (r) => money(r.ceiling, r) },
      {
        id: 'final',
        header: `New price${u}`,
        numeric: true,
        cell: (r) => <strong className="font-semibold">{money(r.final_price, r)}</strong>,
      },
      { id: 'change', header: 'Change', numeric: true, cell: (r) => <ChangeCell d={r} locale={locale} /> },
      {
        id: 'profit',
        header: `Profit${u}`,
        numeric: true,
        title:
          'Per unit at the new price: net of VAT, referral fee at that price, FBA fees, returns and landed cost',
        cell: (r) => money(r.profit, r),
      },
      { id: 'roi', header: 'ROI %', numeric: true, cell: (r) => formatPct(r.roi_pct, locale) },
      { id: 'guards', header: 'Guards', cell: (r) => <GuardChips guards={r.guards} /> },
      reasonColumn<SimulatedDecision>(360),
    ];
  }, [locale, unit]);

  const pageSkus = rows.map((r) => r.sku);
  const selection: Selection<SimulatedDecision> | undefined = canApply
    ? {
        isSelected: (r) => selected.has(r.sku),
        toggle: (r) => {
          const next = new Set(selected);
          if (next.has(r.sku)) next.delete(r.sku);
          else next.add(r.sku);
          setSelected(next);
        },
        togglePage: (on) => {
          const next = new Set(selected);
          for (const s of pageSkus) {
            if (on) next.add(s);
            else next.delete(s);
          }
          setSelected(next);
        },
        label: (r) => `Select ${r.sku}`,
      }
    : undefined;
  const n = selected.size;
  const changing = rows.filter((r) => selected.has(r.sku) && r.changed).length;

  async function apply() {
    setBusy(true);
    setError(null);
    try {
      const r = await applyPrices({ mode, items: [...selected].map((sku) => ({ sku })) });
      setDone(r);
      setOpen(false);
      setSelected(new Set());
      await queryClient.invalidateQueries({ queryKey: ['repricer'] });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  let body: ReactNode;
  if (result.isPending) body = <Loading label="Simulating…" />;
  else if (result.error && !result.data)
    body = (
      <ErrorState error={result.error} title="The simulation failed" onRetry={() => void result.refetch()} />
    );
  else
    body = (
      <>
        <DataTable
          columns={columns}
          rows={rows}
          rowKey={(r) => r.sku}
          caption="What the repricer would decide now, per SKU"
          selection={selection}
          stale={result.isPlaceholderData}
          empty={<Empty title="No active listing matches">Listings come from the listings report.</Empty>}
        />
        <Pager
          page={search.page ?? 1}
          pageSize={search.page_size ?? 50}
          total={result.data?.total ?? 0}
          onPage={(page) => setSearch({ page })}
          onPageSize={(page_size) => setSearch({ page_size })}
        />
      </>
    );

  const live = settings?.mode === 'live';
  return (
    <>
      <div className="mb-3 flex flex-wrap items-end gap-3">
        <SkuFilter label="SKU starts with" value={search.sku} onCommit={(sku) => setSearch({ sku })} />
        <p className="pb-1.5 text-xs text-slate-600">
          Nothing is saved here. Scheduled runs:{' '}
          <strong>{settings ? MODE_WORDS[settings.mode].label : '…'}</strong>
          {settings
            ? `, minimum ROI ${formatPct(settings.min_roi * 100, locale, 0)}, at most ±${settings.max_step_pct} % a run`
            : ''}
          .
        </p>
      </div>
      {canApply ? (
        <div className="mb-2 flex min-h-9 flex-wrap items-center gap-2 text-sm" aria-live="polite">
          {n > 0 ? (
            <>
              <span className="font-medium">
                {formatInt(n, locale)} SKU{n === 1 ? '' : 's'} selected
              </span>
              <button type="button" className="btn btn-primary" onClick={() => setOpen(true)}>
                Apply…
              </button>
              <button type="button" className="link" onClick={() => setSelected(new Set())}>
                Clear selection
              </button>
            </>
          ) : (
            <span className="text-slate-600">Tick SKUs to apply the repricer’s decision to them.</span>
          )}
          {done ? (
            <span role="status" className="ml-auto rounded bg-green-50 px-2 py-1 text-green-900">
              {MODE_WORDS[done.mode].label}: {done.changed} price{done.changed === 1 ? '' : 's'} would change
              {done.written ? `, ${done.written} set` : ''}.{' '}
              <Link to="/repricer" search={{ tab: 'log', run: done.run_id }} className="link">
                See the decisions in the log
              </Link>
            </span>
          ) : null}
        </div>
      ) : null}
      {body}
      <ConfirmDialog
        open={open}
        onOpenChange={(o) => {
          setOpen(o);
          if (!o) setError(null);
        }}
        title={`Apply ${n} price decision${n === 1 ? '' : 's'} — ${MODE_WORDS[mode].label.toLowerCase()}?`}
        confirmLabel={`Apply ${n} — ${MODE_WORDS[mode].label.toLowerCase()}`}
        onConfirm={() => void apply()}
        busy={busy}
        error={error}
        danger={mode === 'live'}
      >
        <p>
          The repricer decides again for the <strong>{n}</strong> selected SKU{n === 1 ? '' : 's'} ({changing}{' '}
          change on this page’s simulation) and logs every decision.
        </p>
        <fieldset>
          <legend className="font-medium">Mode</legend>
          {(['dry_run', 'apply', 'live'] as const).map((m) => (
            <label key={m} className="mt-1 flex items-start gap-2">
              <input
                type="radio"
                name="apply-mode"
                value={m}
                checked={mode === m}
                disabled={m === 'live' && !live}
                onChange={() => setMode(m)}
              />
              <span>
                <strong>{MODE_WORDS[m].label}</strong> — {MODE_WORDS[m].help}
                {m === 'live' && !live ? ' (off: REPRICER_MODE is not live)' : ''}
              </span>
            </label>
          ))}
        </fieldset>
      </ConfirmDialog>
    </>
  );
}

const EMPTY: SimulatedDecision[] = [];
