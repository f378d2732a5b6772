import type { Browser, BrowserContext, Page } from 'playwright-core';
import { round } from './roi-harness.ts';
import { type Grid, inPage } from './web-probe.ts';
import { summary } from './web-server.ts';

/**
 * The web bench's browser side: headless Chromium on the real app. Times are taken inside the page
 * (performance.now, the click event's own timestamp, a MutationObserver on the ROI table and the
 * frame after the change), so the test driver's round trips are not part of them.
 */

type State = Awaited<ReturnType<BrowserContext['storageState']>>;

/** A grid page to time: where it is, the header buttons a sort sample clicks, the sort its URL shows. */
export interface GridPage extends Grid {
  path: string;
  /** Header labels clicked in turn, each click asking for a sort the page has not loaded yet. */
  sortClicks: string[];
  sortLabel(url: string): string;
}

export const ROI_PAGE: GridPage = {
  caption: 'Vendor offers with landed cost and ROI',
  api: '/api/v1/roi\\?',
  path: '/roi',
  // from ROI desc (the default)
  sortClicks: ['ROI %', 'Margin %', 'Margin %', 'Profit', 'Profit', 'ASIN', 'ASIN', 'Vendor', 'Vendor'],
  // defaults are left out of the URL: roi; desc, or asc for text
  sortLabel(url) {
    const q = new URL(url).searchParams;
    const sort = q.get('sort') ?? 'roi';
    return `${sort} ${q.get('order') ?? (sort === 'asin' || sort === 'vendor' ? 'asc' : 'desc')}`;
  },
};

const SAMPLE_TIMEOUT_MS = 10_000;
const LOAD_TIMEOUT_MS = 30_000;

/** Signs in through the real form; the context's cookies, so later contexts start signed in. */
export async function signInThroughForm(browser: Browser, base: string, email: string, password: string) {
  const ctx = await browser.newContext({ baseURL: base });
  try {
    const page = await ctx.newPage();
    await page.goto('/login');
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 30_000 });
    return await ctx.storageState();
  } finally {
    await ctx.close();
  }
}

/** A context with an empty HTTP cache, signed in, with the in-page probes installed. */
async function freshContext(browser: Browser, base: string, state: State, grid: Grid = ROI_PAGE) {
  const ctx = await browser.newContext({
    baseURL: base,
    storageState: state,
    viewport: { width: 1366, height: 850 },
  });
  await ctx.addInitScript(inPage(grid));
  return ctx;
}

/** Counts the page's API requests in flight, to wait for quiet (a prefetch done) between samples. */
function trackApi(page: Page) {
  let inFlight = 0;
  const api = (url: string) => url.includes('/api/');
  page.on('request', (r) => {
    if (api(r.url())) inFlight++;
  });
  const done = (r: { url(): string }) => {
    if (api(r.url())) inFlight--;
  };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return {
    /** Until no API request has been in flight for 300 ms (a user reading the page). */
    async quiet() {
      const deadline = Date.now() + 15_000;
      let since = Date.now();
      while (Date.now() - since < 300 && Date.now() < deadline) {
        if (inFlight > 0) since = Date.now();
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
}

interface RowsVisible {
  painted: number;
}

/** Loads a grid page and waits for its first row painted; in-page ms from navigation start and the breakdown. */
async function loadGrid(page: Page, path: string) {
  const t0 = performance.now();
  await page.goto(path);
  const r = (await page.evaluate(
    `Promise.race([window.__awaBench.rowsVisible, new Promise((r) => setTimeout(() => r(null), ${LOAD_TIMEOUT_MS}))])`,
  )) as RowsVisible | null;
  if (!r) {
    throw new Error(
      `web bench: ${path} showed no rows within ${LOAD_TIMEOUT_MS / 1000} s (was dist/web rebuilt while the server ran? it serves the files present at its start)`,
    );
  }
  const driver = performance.now() - t0;
  const b = (await page.evaluate('window.__awaBench.loadBreakdown()')) as Record<string, unknown>;
  return { rows_painted_ms: round(r.painted, 1), driver_ms: round(driver, 1), breakdown: b };
}

/**
 * Cold: a fresh context (empty HTTP cache, no app state) navigates to the page. Warm: the same
 * context navigates to it again (scripts from its cache, data fetched anew). Each from navigation
 * start to the grid's first row painted.
 */
export async function gridLoads(
  browser: Browser,
  base: string,
  state: State,
  loads: number,
  grid: GridPage = ROI_PAGE,
) {
  const cold: Awaited<ReturnType<typeof loadGrid>>[] = [];
  const warm: Awaited<ReturnType<typeof loadGrid>>[] = [];
  for (let i = 0; i < loads; i++) {
    const ctx = await freshContext(browser, base, state, grid);
    try {
      const page = await ctx.newPage();
      const api = trackApi(page);
      cold.push(await loadGrid(page, grid.path));
      await api.quiet();
      warm.push(await loadGrid(page, grid.path));
    } finally {
      await ctx.close();
    }
  }
  const fig = (xs: typeof cold, budget: number) => {
    const s = summary(xs.map((x) => x.rows_painted_ms));
    return {
      rows_painted_ms: s,
      driver_side_ms: summary(xs.map((x) => x.driver_ms)),
      budget_ms: budget,
      within_budget: s.p95 <= budget,
      slowest: xs.reduce((a, b) => (b.rows_painted_ms > a.rows_painted_ms ? b : a)),
    };
  };
  return { cold: fig(cold, 1500), warm: fig(warm, 700) };
}

interface Sample {
  /** The sort shown after the click, e.g. `vendor desc`. */
  label?: string;
  t0: number;
  dom: number;
  frame: number;
  painted: number;
  fetch: { start: number; end: number } | null;
}

/** Per sort: how long the API took and click → painted, to see which sort is slow. */
function bySort(xs: Sample[]) {
  const groups = new Map<string, Sample[]>();
  for (const x of xs) groups.set(x.label ?? '?', [...(groups.get(x.label ?? '?') ?? []), x]);
  return Object.fromEntries(
    [...groups].map(([label, g]) => {
      const api = summary(g.flatMap((x) => (x.fetch ? [x.fetch.end - x.fetch.start] : [])));
      const painted = summary(g.map((x) => x.painted - x.t0));
      return [
        label,
        {
          n: g.length,
          api_p50: api.p50,
          api_max: api.max,
          painted_p50: painted.p50,
          painted_max: painted.max,
        },
      ];
    }),
  );
}

/**
 * Click → the table's first row shows new content, painted: "Next" (the app has prefetched the next
 * page by then, as it does for a user reading the page) and a header click changing the sort (page
 * 1 of a sort not loaded before in this page: always a request to the API).
 */
export async function gridPaging(
  browser: Browser,
  base: string,
  state: State,
  want: number,
  grid: GridPage = ROI_PAGE,
) {
  const ctx = await freshContext(browser, base, state, grid);
  const out = { next: [] as Sample[], sort: [] as Sample[], no_change: 0 };
  try {
    const page = await ctx.newPage();
    const api = trackApi(page);
    const sample = async (kind: 'next' | 'sort', click: () => Promise<void>) => {
      await page.evaluate('window.__awaBench.arm()');
      await click();
      const r = (await page.evaluate(
        `Promise.race([window.__awaBench.sample, new Promise((r) => setTimeout(() => r(null), ${SAMPLE_TIMEOUT_MS}))])`,
      )) as Sample | null;
      if (!r) out.no_change++;
      else out[kind].push({ ...r, label: grid.sortLabel(page.url()) });
      await api.quiet();
    };
    while (out.next.length < want) {
      await loadGrid(page, grid.path);
      await api.quiet();
      const next = page.getByRole('button', { name: 'Next', exact: true });
      while (out.next.length < want && (await next.isEnabled())) await sample('next', () => next.click());
    }
    while (out.sort.length < want) {
      await loadGrid(page, grid.path);
      await api.quiet();
      for (const label of grid.sortClicks) {
        if (out.sort.length >= want) break;
        const header = page.locator('thead th button').filter({ hasText: new RegExp(`^${label}`) });
        await sample('sort', () => header.first().click());
      }
    }
  } finally {
    await ctx.close();
  }
  const fig = (xs: Sample[]) => ({
    // a page already in the app's cache (the prefetched next page) paints without a request
    samples_that_fetched: xs.filter((x) => x.fetch).length,
    click_to_painted_ms: summary(xs.map((x) => x.painted - x.t0)),
    click_to_frame_ms: summary(xs.map((x) => x.frame - x.t0)),
    api_fetch_ms: summary(xs.flatMap((x) => (x.fetch ? [x.fetch.end - x.fetch.start] : []))),
    response_to_painted_ms: summary(xs.flatMap((x) => (x.fetch ? [x.painted - x.fetch.end] : []))),
  });
  const all = summary([...out.next, ...out.sort].map((x) => x.painted - x.t0));
  return {
    next: fig(out.next),
    sort: { ...fig(out.sort), by_sort: bySort(out.sort) },
    both_p95_ms: all.p95,
    samples_without_visible_change: out.no_change,
  };
}

const SERIES_LABELS = ['Buy box', 'Amazon', 'New FBA', 'New FBM', 'Our price', 'Sales rank'];

async function chartLoad(page: Page, asin: string) {
  await page.goto(`/sku/${asin}`);
  const host = await page.waitForSelector('[data-draw-ms]', { timeout: 30_000 });
  const ms = Number(await host.getAttribute('data-draw-ms'));
  const present = (await page.evaluate(`(() => {
    const labels = ${JSON.stringify(SERIES_LABELS)};
    const fs = [...document.querySelectorAll('fieldset')].find((f) => f.querySelector('legend')?.textContent === 'Series shown');
    return fs ? [...fs.querySelectorAll('button')].filter((b) => !b.disabled && labels.some((l) => b.textContent.startsWith(l))).map((b) => b.textContent.trim()) : [];
  })()`)) as string[];
  return { ms, present };
}

/**
 * The SKU chart's own draw time (data-draw-ms: uPlot handed the data → its first draw hook) for the
 * default 90-day range, over `loads` full page loads of the candidate with the most series present.
 */
export async function chartDraws(
  browser: Browser,
  base: string,
  state: State,
  candidates: string[],
  loads: number,
) {
  const ctx = await freshContext(browser, base, state);
  try {
    const page = await ctx.newPage();
    let best = { asin: '', present: [] as string[] };
    for (const asin of candidates) {
      const r = await chartLoad(page, asin);
      if (r.present.length > best.present.length) best = { asin, present: r.present };
      if (best.present.length >= 5) break;
    }
    if (!best.asin) throw new Error('web bench: no SKU page drew a chart');
    const ms: number[] = [];
    for (let i = 0; i < loads; i++) ms.push((await chartLoad(page, best.asin)).ms);
    const s = summary(ms);
    return {
      asin: best.asin,
      range_days: 90,
      series_present: best.present,
      draw_ms: s,
      budget_ms: 50,
      within_budget: s.p95 <= 50,
    };
  } finally {
    await ctx.close();
  }
}
