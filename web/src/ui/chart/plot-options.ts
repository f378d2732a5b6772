import uPlot from 'uplot';
import { bandSeries, type ChartModel, type SeriesKey } from '../../lib/chart-data.ts';
import { formatInt, formatMoney } from '../../lib/format.ts';
import { GUARD_FILL, GUARD_STROKE, SERIES } from './series.ts';

/**
 * uPlot's series are positional. Draw order, back to front: the guard band, sales rank (context,
 * not price), Amazon's shaded area, the competitors' lines, then buy box and our price on top.
 */
export const FLOOR_IDX = 1;
export const CEILING_IDX = 2;
const DRAW_ORDER: SeriesKey[] = ['rank', 'amazon', 'new_fbm', 'new_fba', 'buybox', 'our_price'];
export const PLOT_INDEX: Record<SeriesKey, number> = Object.fromEntries(
  DRAW_ORDER.map((k, i) => [k, i + 3]),
) as Record<SeriesKey, number>;

export const CHART_HEIGHT = 340;

export function plotData(model: ChartModel): uPlot.AlignedData {
  const band = bandSeries(model);
  const none = model.xs.map(() => null);
  return [
    model.xs,
    band?.floor ?? none,
    band?.ceiling ?? none,
    ...DRAW_ORDER.map((k) => model.draw[k]),
  ] as unknown as uPlot.AlignedData;
}

/**
 * Tick labels in the user's locale: the date at day (or longer) steps, the time of day at shorter
 * steps with the date at midnight, so a 7-day range never shows the same date twice.
 */
function timeTicks(locale: string, spanSeconds: number) {
  const day = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' });
  const month = new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric' });
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  return (splits: number[], incr: number) =>
    splits.map((t) => {
      const d = new Date(t * 1000);
      if (spanSeconds > 400 * 86_400 && incr >= 28 * 86_400) return month.format(d);
      if (incr >= 86_400) return day.format(d);
      return d.getHours() === 0 && d.getMinutes() === 0 ? day.format(d) : time.format(d);
    });
}

export interface PlotSetup {
  model: ChartModel;
  width: number;
  currency: string | undefined;
  locale: string;
  hidden: ReadonlySet<SeriesKey>;
  showGuard: boolean;
  hooks: uPlot.Hooks.Arrays;
}

export function plotOptions(p: PlotSetup): uPlot.Options {
  const { model, currency, locale } = p;
  const stepped = uPlot.paths.stepped!({ align: 1 });
  const linear = uPlot.paths.linear!();
  const money = (v: number) => formatMoney(v, currency, locale);
  const rankPresent = model.present.rank;
  const hasBand = model.band !== null;
  const series: uPlot.Series[] = [
    {},
    {
      label: 'Floor',
      scale: 'money',
      stroke: GUARD_STROKE,
      width: 1,
      dash: [4, 4],
      points: { show: false },
      show: hasBand && p.showGuard,
    },
    {
      label: 'Ceiling',
      scale: 'money',
      stroke: GUARD_STROKE,
      width: 1,
      dash: [4, 4],
      points: { show: false },
      show: model.band?.ceiling != null && p.showGuard,
    },
  ];
  for (const key of DRAW_ORDER) {
    const s = SERIES.find((x) => x.key === key)!;
    // a series seen once or twice in the range would be an invisible stub of a line: show its points
    let observations = 0;
    for (const v of model.draw[key]) if (v !== undefined && v !== null) observations++;
    series.push({
      label: s.label,
      scale: s.scale,
      stroke: s.color,
      width: s.width,
      paths: s.step ? stepped : linear,
      points: { show: observations <= 2, size: 7, fill: s.color, stroke: s.color },
      show: model.present[key] && !p.hidden.has(key),
      ...(s.fill ? { fill: s.fill, fillTo: (u: uPlot) => u.scales['money']?.min ?? 0 } : {}),
    });
  }
  const ticks = timeTicks(locale, model.end - model.start);
  return {
    width: p.width,
    height: CHART_HEIGHT,
    legend: { show: false },
    cursor: {
      drag: { x: true, y: false, setScale: true },
      points: { size: 7 },
      focus: { prox: -1 },
    },
    scales: {
      x: { time: true, min: model.start, max: model.end },
      money: {
        auto: true,
        // keep the lines off the plot's edges; a flat series still gets a visible span
        range: (_u, min, max) => {
          if (min === null || max === null) return [0, 1];
          const pad = Math.max((max - min) * 0.08, max * 0.02, 0.05);
          return [Math.max(0, min - pad), max + pad];
        },
      },
      rank: {
        auto: true,
        range: (_u, min, max) => {
          if (min === null || max === null) return [0, 1];
          const pad = Math.max((max - min) * 0.08, 1);
          return [Math.max(0, min - pad), max + pad];
        },
      },
    },
    axes: [
      {
        stroke: '#475569',
        grid: { stroke: '#e2e8f0', width: 1 },
        ticks: { stroke: '#cbd5e1', width: 1 },
        space: 72,
        values: (_u, splits, _axis, _space, incr) => ticks(splits, incr),
      },
      {
        scale: 'money',
        stroke: '#475569',
        size: 76,
        grid: { stroke: '#e2e8f0', width: 1 },
        ticks: { stroke: '#cbd5e1', width: 1 },
        values: (_u, splits) => splits.map(money),
      },
      {
        scale: 'rank',
        side: 1,
        show: rankPresent,
        stroke: '#2f8a44',
        size: 84,
        grid: { show: false },
        ticks: { stroke: '#cbd5e1', width: 1 },
        values: (_u, splits) => splits.map((v) => `#${formatInt(v, locale)}`),
      },
    ],
    series,
    bands:
      hasBand && model.band?.ceiling != null ? [{ series: [CEILING_IDX, FLOOR_IDX], fill: GUARD_FILL }] : [],
    hooks: p.hooks,
  };
}
