import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { lazy, Suspense, useCallback, useMemo } from 'react';
import { api } from '../../api/client.ts';
import { useCurrency, useLocale } from '../../api/session.ts';
import { parseRange, type RangeKey, toEpochSeconds } from '../../lib/chart-data.ts';
import { DASH, formatMoney, formatPct, toNumber } from '../../lib/format.ts';
import { PageHeader } from '../../ui/page-header.tsx';
import { Section } from '../../ui/section.tsx';
import { ErrorState, Loading } from '../../ui/states.tsx';
import { OpenTasks } from '../../ui/tasks.tsx';
import { ChangeDetail, Decisions } from './decisions.tsx';
import { amazonUrl, keepaUrl } from './links.ts';
import { Offers } from './offers.tsx';
import { type Days, route } from './route.tsx';
import { ScorePanel } from './score.tsx';
import { eanOf, type PriceChange, type SkuDetail, seriesOf } from './types.ts';

// uPlot comes with the chart only, after the page's own content
const SkuChart = lazy(() => import('../../ui/chart/sku-chart.tsx'));

const FLOOR_BY: Record<string, string> = {
  min_roi: 'your minimum ROI',
  min_price: "the rule's minimum price",
  rule: "the rule's minimum price",
  map: 'the MAP',
};

function GuardNote({ d, currency, locale }: { d: SkuDetail; currency: string | undefined; locale: string }) {
  const g = d.guard;
  if (!g || toNumber(g.floor) === null) return null;
  const minRoi = toNumber(g.min_roi);
  return (
    <p className="mt-1 text-xs text-slate-600">
      Guard band of {g.sku ? <span className="font-mono">{g.sku}</span> : 'our listing'}: floor{' '}
      {formatMoney(g.floor, currency, locale)} (the lowest price that keeps your minimum ROI
      {minRoi === null ? '' : ` of ${formatPct(minRoi * 100, locale)}`}
      {g.floor_by && g.floor_by !== 'min_roi' ? `; here set by ${FLOOR_BY[g.floor_by] ?? g.floor_by}` : ''})
      to ceiling {toNumber(g.ceiling) === null ? 'none' : formatMoney(g.ceiling, currency, locale)}
      {g.note ? `. ${g.note}` : ''}.
    </p>
  );
}

export default function SkuPage() {
  const { asin } = route.useParams();
  const search = route.useSearch();
  const range: RangeKey = parseRange(search.days ?? '90');
  const navigate = useNavigate({ from: route.fullPath });
  const locale = useLocale();
  const meCurrency = useCurrency();

  const query = useQuery({
    queryKey: ['sku', asin, range],
    queryFn: ({ signal }) => api.get<SkuDetail>(`/sku/${encodeURIComponent(asin)}`, { days: range }, signal),
    // another range of the same ASIN keeps the chart on screen while the new one loads
    placeholderData: (prev, prevQuery) =>
      prevQuery?.queryKey[1] === asin ? keepPreviousData(prev) : undefined,
  });
  const d = query.data;
  const setRange = useCallback(
    (r: RangeKey) => {
      const days: Days | undefined = r === 'all' ? 'all' : r === '90' ? undefined : (Number(r) as Days);
      void navigate({ search: days === undefined ? {} : { days }, replace: true });
    },
    [navigate],
  );
  const series = useMemo(() => (d ? seriesOf(d) : null), [d]);
  // the server's "now" is the chart's right edge, so the range matches the data it sent
  const now = useMemo(() => {
    const t = toEpochSeconds(d?.range?.to ?? Number.NaN);
    return Number.isFinite(t) ? t : undefined;
  }, [d]);

  if (query.isPending) return <Loading label={`Loading ${asin}…`} />;
  if (query.isError) {
    return (
      <>
        <PageHeader title={asin} description="Product, offers and price history of one ASIN" />
        <ErrorState
          error={query.error}
          title={`Could not load ${asin}`}
          onRetry={() => void query.refetch()}
        />
      </>
    );
  }
  const p = d!.product;
  const currency = d!.currency ?? meCurrency ?? d!.offers[0]?.currency ?? undefined;
  const marketplace = d!.marketplace ?? p?.marketplace ?? d!.offers[0]?.marketplace;
  const amazon = amazonUrl(asin, typeof marketplace === 'string' ? marketplace : undefined);
  const keepa = keepaUrl(asin, typeof marketplace === 'string' ? marketplace : undefined);
  const ean = eanOf(d!);

  return (
    <div className="space-y-4">
      <PageHeader
        title={p?.title ?? asin}
        description={
          [p?.brand, p?.category].filter(Boolean).join(' · ') || 'No catalogue data for this ASIN yet'
        }
        actions={
          <>
            {amazon ? (
              <a className="btn btn-secondary" href={amazon} target="_blank" rel="noreferrer noopener">
                Amazon ↗<span className="sr-only"> (opens in a new tab)</span>
              </a>
            ) : null}
            {keepa ? (
              <a className="btn btn-secondary" href={keepa} target="_blank" rel="noreferrer noopener">
                Keepa ↗<span className="sr-only"> (opens in a new tab)</span>
              </a>
            ) : null}
          </>
        }
      />
      <dl className="-mt-2 flex flex-wrap gap-x-6 gap-y-1 text-sm">
        {[
          ['ASIN', asin],
          ['EAN', ean ?? DASH],
          ['Brand', p?.brand ?? DASH],
          ['Category', p?.category ?? DASH],
          ['Marketplace', marketplace ?? DASH],
          ['Decision', p?.status ?? DASH],
        ].map(([k, v]) => (
          <div key={k} className="flex gap-1.5">
            <dt className="text-slate-600">{k}</dt>
            <dd className={k === 'ASIN' || k === 'EAN' ? 'font-mono select-all' : ''}>{v}</dd>
          </div>
        ))}
      </dl>

      <div>
        <Suspense
          fallback={
            <div className="card min-h-[460px]">
              <Loading label="Loading the chart…" />
            </div>
          }
        >
          <SkuChart
            series={series}
            guard={d!.guard}
            changes={d!.price_changes}
            range={range}
            now={now}
            onRangeChange={setRange}
            currency={currency}
            locale={locale}
            busy={query.isPlaceholderData}
            renderChange={(c) => <ChangeDetail change={c as PriceChange} currency={currency} />}
          />
        </Suspense>
        <GuardNote d={d!} currency={currency} locale={locale} />
      </div>

      <Section title="Open tasks" description="What the inbox asks about this ASIN, most severe first.">
        <OpenTasks asin={asin} what="this ASIN" />
      </Section>

      <Section
        title="Landed cost per vendor offer"
        description="Every figure with its input and source; a missing input is a flag, never a silent zero."
      >
        <Offers offers={d!.offers} fees={d!.fees} />
      </Section>

      <Section
        title="Score"
        description="0–100: a weighted sum of components, each with the reason for its value."
      >
        <ScorePanel score={d!.score} />
      </Section>

      <Section
        title="Repricer decisions"
        description="The latest decisions for this ASIN; a guard is a rule that stopped or limited a price change."
      >
        <Decisions decisions={d!.decisions ?? []} currency={currency} />
      </Section>
    </div>
  );
}
