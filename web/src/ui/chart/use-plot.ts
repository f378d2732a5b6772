import { type RefObject, useCallback, useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import { type ChartModel, indexAt, type SeriesKey } from '../../lib/chart-data.ts';
import { CEILING_IDX, CHART_HEIGHT, FLOOR_IDX, PLOT_INDEX, plotData, plotOptions } from './plot-options.ts';

interface UsePlot {
  hostRef: RefObject<HTMLDivElement | null>;
  model: ChartModel;
  currency: string | undefined;
  locale: string;
  hidden: ReadonlySet<SeriesKey>;
  showGuard: boolean;
  onDrawn?: (ms: number) => void;
}

/**
 * Owns the uPlot instance: built anew for each model (range or data change: the zoom resets, as it
 * should), resized with its box, series toggled in place. Reports the crosshair as the index of
 * the moment whose values are in force under it, and the draw time of each new data set.
 */
export function usePlot({ hostRef, model, currency, locale, hidden, showGuard, onDrawn }: UsePlot) {
  const [plot, setPlot] = useState<uPlot | null>(null);
  // the moment under the crosshair and the index of the values in force then
  const [cursor, setCursor] = useState<{ idx: number; t: number } | null>(null);
  // bumped after every redraw, so overlays (markers) re-read the scales
  const [layout, setLayout] = useState(0);
  const latest = useRef({ hidden, showGuard, onDrawn });
  latest.current = { hidden, showGuard, onDrawn };

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    // from handing uPlot the data to the first drawn frame (uPlot draws in a microtask)
    const t0 = performance.now();
    let measuring = true;
    const hooks: uPlot.Hooks.Arrays = {
      draw: [
        () => {
          if (measuring) {
            measuring = false;
            const ms = performance.now() - t0;
            host.dataset['drawMs'] = ms.toFixed(1);
            latest.current.onDrawn?.(ms);
          }
          setLayout((n) => n + 1);
        },
      ],
      setCursor: [
        (u) => {
          const left = u.cursor.left;
          if (left === undefined || left < 0) return setCursor(null);
          const t = u.posToVal(left, 'x');
          setCursor({ t, idx: Math.max(0, indexAt(model.xs, t)) });
        },
      ],
    };
    const u = new uPlot(
      plotOptions({
        model,
        width: Math.max(host.clientWidth, 300),
        currency,
        locale,
        hidden: latest.current.hidden,
        showGuard: latest.current.showGuard,
        hooks,
      }),
      plotData(model),
      host,
    );
    setPlot(u);
    setCursor(null);
    const resize = new ResizeObserver(() => {
      const width = host.clientWidth;
      if (width > 0 && Math.abs(width - u.width) > 1) u.setSize({ width, height: CHART_HEIGHT });
    });
    resize.observe(host);
    return () => {
      resize.disconnect();
      u.destroy();
      setPlot(null);
    };
  }, [hostRef, model, currency, locale]);

  useEffect(() => {
    if (!plot) return;
    for (const [key, idx] of Object.entries(PLOT_INDEX) as [SeriesKey, number][]) {
      const show = model.present[key] && !hidden.has(key);
      if (plot.series[idx]?.show !== show) plot.setSeries(idx, { show });
    }
    const floor = model.band !== null && showGuard;
    const ceiling = model.band?.ceiling != null && showGuard;
    if (plot.series[FLOOR_IDX]?.show !== floor) plot.setSeries(FLOOR_IDX, { show: floor });
    if (plot.series[CEILING_IDX]?.show !== ceiling) plot.setSeries(CEILING_IDX, { show: ceiling });
  }, [plot, model, hidden, showGuard]);

  /** Keyboard crosshair: ±1 moment, or ±Infinity for the first/last. */
  const moveCursor = useCallback(
    (step: number) => {
      if (!plot || model.xs.length === 0) return;
      const from = cursor?.idx ?? (step > 0 ? -1 : model.xs.length);
      const idx = Math.min(
        model.xs.length - 1,
        Math.max(0, Number.isFinite(step) ? from + step : step > 0 ? model.xs.length - 1 : 0),
      );
      const left = plot.valToPos(model.xs[idx]!, 'x');
      plot.setCursor({ left, top: plot.bbox.height / (2 * devicePixelRatio) });
    },
    [plot, model, cursor],
  );

  return { plot, cursor, moveCursor, layout };
}
