/**
 * The Scores page's state ↔ the URL. Scores are 0–100, confidence 0–1 in the API but shown (and
 * typed) as a percentage of the weights measured; bad values are dropped, never an error page.
 */
/** The score's components as people read them (SPEC §7's names). */
export const COMPONENT_NAMES: Record<string, string> = {
  profitability: 'Profitability',
  demand: 'Demand',
  competition: 'Competition',
  stability: 'Price stability',
  returns: 'Returns risk',
};

export const SCORE_SORTS = ['score', 'confidence', 'asin'] as const;
export type ScoreSort = (typeof SCORE_SORTS)[number];
export type Order = 'asc' | 'desc';

export interface ScoresSearch {
  score_min?: number;
  score_max?: number;
  /** Confidence in percent (0–100). */
  conf_min?: number;
  conf_max?: number;
  vendor?: number;
  asin?: string;
  sort?: ScoreSort;
  order?: Order;
  page?: number;
  page_size?: number;
}

export const SCORES_DEFAULTS = { sort: 'score', page: 1, page_size: 50 } as const;
export const scoreDefaultOrder = (sort: ScoreSort): Order => (sort === 'asin' ? 'asc' : 'desc');

function num(v: unknown, min: number, max: number): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) && n >= min && n <= max ? n : undefined;
}
const int = (v: unknown, min: number, max: number) => {
  const n = num(v, min, max);
  return n !== undefined && Number.isInteger(n) ? n : undefined;
};

/** A pair of bounds where from > to is a typo: the upper one is dropped. */
function range(lo: number | undefined, hi: number | undefined): [number | undefined, number | undefined] {
  return lo !== undefined && hi !== undefined && lo > hi ? [lo, undefined] : [lo, hi];
}

export function parseScoresSearch(raw: Record<string, unknown>): ScoresSearch {
  const out: ScoresSearch = {};
  const [smin, smax] = range(num(raw['score_min'], 0, 100), num(raw['score_max'], 0, 100));
  if (smin !== undefined) out.score_min = smin;
  if (smax !== undefined) out.score_max = smax;
  const [cmin, cmax] = range(num(raw['conf_min'], 0, 100), num(raw['conf_max'], 0, 100));
  if (cmin !== undefined) out.conf_min = cmin;
  if (cmax !== undefined) out.conf_max = cmax;
  const vendor = int(raw['vendor'], 1, Number.MAX_SAFE_INTEGER);
  if (vendor !== undefined) out.vendor = vendor;
  const asin = typeof raw['asin'] === 'string' ? raw['asin'].trim().toUpperCase() : '';
  if (/^[A-Z0-9]{1,10}$/.test(asin)) out.asin = asin;
  const sort = (SCORE_SORTS as readonly unknown[]).includes(raw['sort'])
    ? (raw['sort'] as ScoreSort)
    : SCORES_DEFAULTS.sort;
  if (sort !== SCORES_DEFAULTS.sort) out.sort = sort;
  const order = raw['order'] === 'asc' || raw['order'] === 'desc' ? raw['order'] : undefined;
  if (order && order !== scoreDefaultOrder(sort)) out.order = order;
  const page = int(raw['page'], 1, 1_000_000);
  if (page !== undefined && page !== SCORES_DEFAULTS.page) out.page = page;
  const size = int(raw['page_size'], 1, 200);
  if (size !== undefined && size !== SCORES_DEFAULTS.page_size) out.page_size = size;
  return out;
}

export function updateScoresSearch(prev: ScoresSearch, patch: Partial<Record<keyof ScoresSearch, unknown>>) {
  const next: Record<string, unknown> = { ...prev, ...patch };
  if (!Object.keys(patch).every((k) => k === 'page')) delete next['page'];
  return parseScoresSearch(next);
}

export function resolveScoresSearch(s: ScoresSearch) {
  const sort = s.sort ?? SCORES_DEFAULTS.sort;
  return {
    sort,
    order: s.order ?? scoreDefaultOrder(sort),
    page: s.page ?? SCORES_DEFAULTS.page,
    page_size: s.page_size ?? SCORES_DEFAULTS.page_size,
  };
}

const fraction = (pct: number) => Math.round(pct * 100) / 10_000;

/** GET /api/v1/scores' filter (also the CSV's). */
export function scoresFilterParams(s: ScoresSearch) {
  const out: {
    score_min?: number;
    score_max?: number;
    confidence_min?: number;
    confidence_max?: number;
    vendor?: number;
    asin?: string;
  } = {};
  if (s.score_min !== undefined) out.score_min = s.score_min;
  if (s.score_max !== undefined) out.score_max = s.score_max;
  if (s.conf_min !== undefined) out.confidence_min = fraction(s.conf_min);
  if (s.conf_max !== undefined) out.confidence_max = fraction(s.conf_max);
  if (s.vendor !== undefined) out.vendor = s.vendor;
  if (s.asin) out.asin = s.asin;
  return out;
}

export function scoresApiQuery(s: ScoresSearch) {
  const r = resolveScoresSearch(s);
  return { ...scoresFilterParams(s), sort: r.sort, order: r.order, page: r.page, page_size: r.page_size };
}

export function scoresCsvHref(s: ScoresSearch): string {
  const { page: _p, page_size: _s, ...q } = scoresApiQuery(s);
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) params.set(k, String(v));
  return `/api/v1/scores.csv?${params.toString()}`;
}

export const hasScoreFilters = (s: ScoresSearch) => Object.keys(scoresFilterParams(s)).length > 0;

export interface MathTerm {
  component: string;
  weight: number;
  value: number;
}

/**
 * The score as the sum it is (SPEC §7): 100 × Σ weight × component ÷ Σ weights of the measured
 * components; the unmeasured ones are left out and lower the confidence instead.
 */
export function scoreMath(
  components: Record<string, number | null>,
  weights: Record<string, number>,
): { terms: MathTerm[]; missing: string[]; measuredWeight: number; score: number | null } {
  const terms: MathTerm[] = [];
  const missing: string[] = [];
  for (const [component, weight] of Object.entries(weights)) {
    const value = components[component];
    if (value === null || value === undefined) missing.push(component);
    else terms.push({ component, weight, value });
  }
  const measuredWeight = terms.reduce((a, t) => a + t.weight, 0);
  const sum = terms.reduce((a, t) => a + t.weight * t.value, 0);
  const score = measuredWeight > 0 ? Math.round((10_000 * sum) / measuredWeight) / 100 : null;
  return { terms, missing, measuredWeight, score };
}
