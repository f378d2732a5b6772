/**
 * The web bench's probe inside the page: when a grid's first row is first painted, and the time
 * from a click to the first row showing other content, painted.
 */

/** A server-paged table of the app: found by its caption, its rows fetched by requests matching `api`. */
export interface Grid {
  caption: string;
  /** A regular expression (source) matching the URL of the request that fetches the grid's rows. */
  api: string;
}

/**
 * Runs in every page before the app (a string: a compiled function could carry helpers the page
 * lacks). "Painted" is the first timer after the animation frame that follows the DOM change: the
 * frame the change is drawn in has been produced by then.
 */
export function inPage(grid: Grid): string {
  return `(() => {
  const firstRow = () => {
    for (const t of document.querySelectorAll('table')) {
      if (t.caption && t.caption.textContent === ${JSON.stringify(grid.caption)}) return t.querySelector('tbody tr[data-index="0"]');
    }
    return null;
  };
  const text = () => (firstRow()?.textContent ?? '').trim();
  const rowsFetch = (since, until = Infinity) => {
    const api = new RegExp(${JSON.stringify(grid.api)});
    const e = performance.getEntriesByType('resource').find((r) => api.test(r.name) && r.startTime >= since && r.startTime < until);
    return e ? { start: e.startTime, end: e.responseEnd } : null;
  };
  const afterPaint = (resolve, extra) => {
    const dom = performance.now();
    requestAnimationFrame(() => {
      const frame = performance.now();
      setTimeout(() => resolve({ ...extra, dom, frame, painted: performance.now() }), 0);
    });
  };
  const bench = {
    rowsVisible: new Promise((resolve) => {
      const obs = new MutationObserver(() => {
        if (!text()) return;
        obs.disconnect();
        afterPaint(resolve, {});
      });
      obs.observe(document, { childList: true, subtree: true, characterData: true });
    }),
    loadBreakdown() {
      const nav = performance.getEntriesByType('navigation')[0];
      const res = performance.getEntriesByType('resource');
      const me = res.find((r) => /\\/api\\/v1\\/me$/.test(r.name));
      const roi = rowsFetch(0);
      const js = res.filter((r) => /\\.js$/.test(r.name));
      const ms = (x) => Math.round(x * 10) / 10;
      return {
        html_response_end: ms(nav?.responseEnd ?? NaN),
        scripts: js.map((r) => [r.name.split('/').pop(), ms(r.startTime), ms(r.responseEnd), r.transferSize]),
        script_kb_transferred: Math.round(js.reduce((s, r) => s + r.transferSize, 0) / 102.4) / 10,
        me_fetch: me ? [ms(me.startTime), ms(me.responseEnd)] : null,
        rows_fetch: roi ? [ms(roi.start), ms(roi.end)] : null,
      };
    },
    arm() {
      performance.clearResourceTimings();
      const before = text();
      let t0;
      const onClick = (e) => {
        t0 = e.timeStamp;
        document.removeEventListener('click', onClick, true);
      };
      document.addEventListener('click', onClick, true);
      bench.sample = new Promise((resolve) => {
        const obs = new MutationObserver(() => {
          const now = text();
          if (t0 === undefined || !now || now === before) return;
          obs.disconnect();
          afterPaint((r) => resolve({ ...r, fetch: rowsFetch(t0, r.dom) }), { t0 });
        });
        obs.observe(document.body, { childList: true, subtree: true, characterData: true });
      });
      return before;
    },
  };
  window.__awaBench = bench;
})();`;
}
