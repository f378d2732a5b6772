import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local Keepa (https://keepa.com/#!discuss/c/api) speaking its wire format: GET /product and
 * GET /token with `?key=`, answers carrying `timestamp`, `tokensLeft`, `refillIn` (ms), `refillRate`
 * (tokens/minute) and `tokensConsumed`. Tokens really deplete and refill (once a minute on the
 * given clock, capped at an hour's refill as Keepa's expire); a request is refused with 429 while the
 * balance is not positive and may otherwise take it below zero, as Keepa does. Products are
 * generated deterministically from the ASIN and the clock (so later calls see newer history), or set
 * by the test. Faults can be queued; every request is recorded.
 */

const KEEPA_MINUTE_OFFSET = 21_564_000;
const toKeepaMinutes = (ms: number) => Math.floor(ms / 60_000) - KEEPA_MINUTE_OFFSET;
const CSV_LENGTH = 36;

export interface HistoryShape {
  /** How far back generated series go. */
  spanDays: number;
  /** Minutes between points of each series. */
  buyboxEvery: number;
  rankEvery: number;
  offersEvery: number;
  fbaEvery: number;
}

export const DEFAULT_HISTORY: HistoryShape = {
  spanDays: 120,
  buyboxEvery: 2 * 1440,
  rankEvery: 1440,
  offersEvery: 3 * 1440,
  fbaEvery: 2 * 1440,
};

export interface FakeKeepaOptions {
  key?: string;
  /** The fake's clock (unix ms): share it with the client under test (test/helpers/http.ts fakeTime). */
  now?: () => number;
  tokens?: number;
  refillRate?: number;
  /** Balance cap; default an hour of refill. */
  maxTokens?: number;
  /** Tokens per product, plus `buyboxCost` when `buybox=1` (Keepa: 1 + 2). */
  costPerProduct?: number;
  buyboxCost?: number;
  history?: Partial<HistoryShape>;
  domainId?: number;
}

export interface Fault {
  status?: number;
  /** Seconds, sent as Retry-After. */
  retryAfter?: number;
  /** Real milliseconds before answering (to trip the client's timeout). */
  delayMs?: number;
  /** Answer 200 with a body that is not JSON. */
  malformed?: boolean;
}

export interface RecordedRequest {
  path: string;
  query: Record<string, string>;
  asins: string[];
  status: number;
  /** Balance after refill, before this request was charged. */
  tokensBefore: number;
  cost: number;
  at: number;
}

export type KeepaProduct = Record<string, unknown>;

export interface FakeKeepa {
  url: string;
  key: string;
  requests: RecordedRequest[];
  /** Answered /product requests (status 200). */
  productRequests(): RecordedRequest[];
  tokens(): number;
  setTokens(n: number): void;
  setProduct(asin: string, product: KeepaProduct | ((nowMs: number) => KeepaProduct)): void;
  setUnknown(...asins: string[]): void;
  /** Queues a fault for the next `times` /product requests. */
  fail(fault: Fault, times?: number): void;
  close(): Promise<void>;
}

/** A stable 32-bit hash: generated data must not change between calls or runs. */
export function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

function eanFor(asin: string): string {
  const body = `40${String(hash(`ean:${asin}`) % 10_000_000_000).padStart(10, '0')}`;
  const sum = [...body].reduce((s, d, i) => s + Number(d) * (i % 2 === 0 ? 1 : 3), 0);
  return body + String((10 - (sum % 10)) % 10);
}

/** Points every `every` minutes on fixed boundaries, so a later call repeats the earlier points. */
function steps(nowKm: number, spanDays: number, every: number): number[] {
  const last = Math.floor(nowKm / every) * every;
  const out: number[] = [];
  for (let t = last - Math.floor((spanDays * 1440) / every) * every; t <= last; t += every) out.push(t);
  return out;
}

/** The product Keepa would return for `asin` at `nowMs` (deterministic). */
export function keepaProduct(asin: string, nowMs: number, shape: Partial<HistoryShape> = {}): KeepaProduct {
  const s = { ...DEFAULT_HISTORY, ...shape };
  const h = hash(asin);
  const km = toKeepaMinutes(nowMs);
  const v = (t: number, salt: string) => hash(`${asin}:${salt}:${t}`);
  const base = 1000 + (h % 9000);
  const fbm = h % 5 === 0;
  const csv: Array<number[] | null> = Array.from({ length: CSV_LENGTH }, () => null);
  // patterns keyed on the time, not the position, so that a later call repeats earlier points
  const nth = (t: number, every: number, n: number) => Math.floor(t / every) % n;
  csv[18] = steps(km, s.spanDays, s.buyboxEvery).flatMap((t) =>
    // now and then no offer holds the buy box (-1); FBM winners add shipping as the third value
    nth(t, s.buyboxEvery, 11) === 5 ? [t, -1, -1] : [t, base + (v(t, 'bb') % 200) - 100, fbm ? 299 : 0],
  );
  csv[3] = steps(km, s.spanDays, s.rankEvery).flatMap((t) => [t, 1000 + (v(t, 'rank') % 50_000)]);
  csv[11] = steps(km, s.spanDays, s.offersEvery).flatMap((t) => [t, 1 + (v(t, 'offers') % 20)]);
  csv[10] = steps(km, s.spanDays, s.fbaEvery).flatMap((t) =>
    nth(t, s.fbaEvery, 7) === 3 ? [t, -1] : [t, base + 50 + (v(t, 'fba') % 100)],
  );
  if (h % 3 === 0) {
    csv[0] = steps(km, s.spanDays, 4 * 1440).flatMap((t) => [t, nth(t, 4 * 1440, 2) ? -1 : base]);
  }
  const current = Array.from({ length: CSV_LENGTH }, (_, i) => {
    const series = csv[i];
    if (!series || series.length === 0) return -1;
    const stride = i === 18 ? 3 : 2;
    const last = series.slice(-stride);
    return i === 18 && last[1]! >= 0 ? last[1]! + Math.max(0, last[2]!) : last[1]!;
  });
  const categories = [
    [12950651, 'Spielzeug', 12950661, 'Puzzles'],
    [355007011, 'Sport & Freizeit', 16435051, 'Fitness'],
    [3167641, 'Küche, Haushalt & Wohnen', 3169011, 'Kochgeschirr'],
  ][h % 3]!;
  return {
    productType: 0,
    asin,
    domainId: 3,
    title: `Product ${asin}`,
    brand: `Brand ${h % 50}`,
    rootCategory: categories[0],
    categoryTree: [
      { catId: categories[0], name: categories[1] },
      { catId: categories[2], name: categories[3] },
    ],
    packageWeight: 100 + (h % 2000),
    packageLength: 100 + (h % 300),
    packageWidth: 50 + (h % 200),
    packageHeight: 20 + (h % 100),
    eanList: [eanFor(asin)],
    upcList: h % 4 === 0 ? [String(hash(`upc:${asin}`) % 1_000_000_000_000).padStart(12, '0')] : null,
    lastUpdate: km,
    csv,
    stats: { current, avg90: current },
  };
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

export async function startFakeKeepa(opts: FakeKeepaOptions = {}): Promise<FakeKeepa> {
  const key = opts.key ?? 'test-keepa-key-0123456789';
  const now = opts.now ?? Date.now;
  const rate = opts.refillRate ?? 100;
  const max = opts.maxTokens ?? rate * 60;
  const perProduct = opts.costPerProduct ?? 1;
  const buyboxCost = opts.buyboxCost ?? 2;
  let tokens = opts.tokens ?? 1000;
  let refilledAt = now();
  const products = new Map<string, KeepaProduct | ((nowMs: number) => KeepaProduct)>();
  const generated = new Map<string, KeepaProduct>();
  const delays = new Set<NodeJS.Timeout>();
  const unknown = new Set<string>();
  const faults: Fault[] = [];
  const requests: RecordedRequest[] = [];

  const refill = () => {
    const n = Math.floor((now() - refilledAt) / 60_000);
    if (n > 0) {
      tokens = Math.min(max, tokens + n * rate);
      refilledAt += n * 60_000;
    }
  };
  const status = (consumed: number) => ({
    timestamp: now(),
    tokensLeft: tokens,
    refillIn: refilledAt + 60_000 - now(),
    refillRate: rate,
    tokenFlowReduction: 0,
    tokensConsumed: consumed,
    processingTimeInMs: 1,
  });
  const productFor = (asin: string): KeepaProduct => {
    if (unknown.has(asin)) return { asin, domainId: opts.domainId ?? 3, title: null, csv: null, stats: null };
    const set = products.get(asin);
    if (set) return typeof set === 'function' ? set(now()) : set;
    // generating is the fake's slowest part; a product only changes when one of its series gains a
    // point, so the answer is reused until then (benchmarks measure the agent, not the fake)
    const km = toKeepaMinutes(now());
    const shape = { ...DEFAULT_HISTORY, ...opts.history };
    const every = [shape.buyboxEvery, shape.rankEvery, shape.offersEvery, shape.fbaEvery, 4 * 1440];
    const key = `${asin}:${every.map((e) => Math.floor(km / e)).join(':')}`;
    let p = generated.get(key);
    if (!p) {
      if (generated.size >= 50_000) generated.clear();
      p = { ...keepaProduct(asin, now(), opts.history), domainId: opts.domainId ?? 3 };
      generated.set(key, p);
    }
    return { ...p, lastUpdate: km };
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://keepa.local');
    const query = Object.fromEntries(url.searchParams);
    const asins = (query.asin ?? '').split(',').filter(Boolean);
    refill();
    const rec: RecordedRequest = {
      path: url.pathname,
      query: { ...query, key: query.key === key ? '[valid]' : '[invalid]' },
      asins,
      status: 200,
      tokensBefore: tokens,
      cost: 0,
      at: now(),
    };
    requests.push(rec);
    const answer = (code: number, body: unknown, headers?: Record<string, string>) => {
      rec.status = code;
      send(res, code, body, headers);
    };
    if (query.key !== key) {
      return answer(401, { error: { type: 'invalidKey', message: 'The provided access key is invalid.' } });
    }
    if (url.pathname === '/token') return answer(200, status(0));
    if (url.pathname !== '/product') return answer(404, { error: { type: 'notFound' } });
    const fault = faults.shift();
    if (fault?.delayMs) {
      // cleared by close(): a test ends without waiting for an answer nobody reads any more
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          delays.delete(timer);
          resolve();
        }, fault.delayMs);
        delays.add(timer);
      });
    }
    if (fault?.malformed) return answer(200, '{"timestamp": 1, "tokensLeft": 5, "products": [{"asin": ');
    if (fault?.status) {
      const headers: Record<string, string> = fault.retryAfter
        ? { 'retry-after': String(fault.retryAfter) }
        : {};
      const body =
        fault.status === 429
          ? { ...status(0), error: { type: 'NOT_ENOUGH_TOKEN', message: 'Not enough tokens.' } }
          : { error: { type: 'serverError', message: `fake fault ${fault.status}` } };
      return answer(fault.status, body, headers);
    }
    if (asins.length === 0 || asins.length > 100) {
      return answer(400, { error: { type: 'invalidParameter', message: 'asin: 1 to 100 ASINs' } });
    }
    if (tokens <= 0) {
      return answer(429, {
        ...status(0),
        error: { type: 'NOT_ENOUGH_TOKEN', message: 'Not enough tokens.' },
      });
    }
    const cost = asins.length * (perProduct + (query.buybox === '1' ? buyboxCost : 0));
    tokens -= cost;
    rec.cost = cost;
    return answer(200, { ...status(cost), products: asins.map(productFor) });
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 500, { error: { message: String(err) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    key,
    requests,
    productRequests: () => requests.filter((r) => r.path === '/product' && r.status === 200),
    tokens: () => {
      refill();
      return tokens;
    },
    setTokens: (n) => {
      tokens = n;
    },
    setProduct: (asin, product) => {
      products.set(asin, product);
    },
    setUnknown: (...asins) => {
      for (const a of asins) unknown.add(a);
    },
    fail: (fault, times = 1) => {
      for (let i = 0; i < times; i++) faults.push(fault);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of delays) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
