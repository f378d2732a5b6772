import { startServer } from '../helpers/http.ts';

/**
 * A local Helium10 fee endpoint: GET /financials/fba-fees/{asin} with `Authorization: Bearer KEY`,
 * answering {referralFee, fulfillmentFee, storageFee, currency} (the seed's contract). Tests script
 * failures per ASIN and read back the calls, the query each carried and the peak concurrency.
 */

export interface Helium10Fees {
  referralFee?: number;
  fulfillmentFee?: number;
  storageFee?: number;
  otherFees?: number;
  currency?: string;
}

export type Helium10Script =
  | { kind: 'status'; status: number; retryAfterSeconds?: number }
  | { kind: 'malformed' }
  | { kind: 'unknown' };

export async function startFakeHelium10(opts: { key?: string; delayMs?: number } = {}) {
  const key = opts.key ?? 'h10-fake-key';
  const calls: Array<{ asin: string; query: Record<string, string>; status: number }> = [];
  const perAsin = new Map<string, Helium10Script[]>();
  let inFlight = 0;
  let maxInFlight = 0;
  const state = {
    delayMs: opts.delayMs ?? 0,
    feesFor: (_asin: string, price: number): Helium10Fees => ({
      referralFee: Math.round(price * 0.15 * 10_000) / 10_000,
      fulfillmentFee: 3.27,
      storageFee: 0.125,
      currency: 'EUR',
    }),
  };

  const server = await startServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/financials\/fba-fees\/([^/]+)$/.exec(url.pathname);
    const call = {
      asin: m ? decodeURIComponent(m[1]!) : '',
      query: Object.fromEntries(url.searchParams),
      status: 200,
    };
    calls.push(call);
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      call.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);
    };
    if (req.method !== 'GET' || !m) return send(404, '{"error":"not found"}');
    if (req.headers.authorization !== `Bearer ${key}`) return send(401, '{"error":"invalid api key"}');
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      if (state.delayMs > 0) await new Promise((r) => setTimeout(r, state.delayMs));
    } finally {
      inFlight--;
    }
    const step = perAsin.get(call.asin)?.shift();
    if (step?.kind === 'status') {
      const h: Record<string, string> =
        step.retryAfterSeconds === undefined ? {} : { 'retry-after': String(step.retryAfterSeconds) };
      return send(step.status, '{"error":"scripted"}', h);
    }
    if (step?.kind === 'malformed') return send(200, '{"referralFee": 1.');
    if (step?.kind === 'unknown') return send(404, '{"error":"asin not found"}');
    send(200, JSON.stringify({ asin: call.asin, ...state.feesFor(call.asin, Number(call.query.price)) }));
  });

  return {
    url: server.url,
    key,
    calls,
    get maxInFlight() {
      return maxInFlight;
    },
    /** Answers for this ASIN's next calls, in order. */
    script: (asin: string, ...steps: Helium10Script[]) =>
      perAsin.set(asin, [...(perAsin.get(asin) ?? []), ...steps]),
    setFees: (fn: (asin: string, price: number) => Helium10Fees) => {
      state.feesFor = fn;
    },
    setDelay: (ms: number) => {
      state.delayMs = ms;
    },
    close: () => server.close(),
  };
}

export type FakeHelium10 = Awaited<ReturnType<typeof startFakeHelium10>>;
