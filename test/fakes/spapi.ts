import type http from 'node:http';
import { readRequestBody, startServer } from '../helpers/http.ts';
import {
  defaultFees,
  type EstimateInput,
  estimateResult,
  type FeeLine,
  type FeesEstimateByIdRequest,
  feeInput,
  type ItemError,
} from './spapi-wire.ts';

export { defaultFees, type EstimateInput, type FeeLine, type FeesEstimateByIdRequest };

/**
 * A local SP-API for the fees agent: the LWA token endpoint (refresh-token grant) and Product Fees
 * getMyFeesEstimates (POST /products/fees/v0/feesEstimate), speaking the documented JSON
 * (productFeesV0.json). Tests script failures (429 with Retry-After, 5xx, slow or malformed
 * answers, refused tokens), per-item errors and fee amounts, and read back every call it received
 * with its arrival time by `now` (pass a fake clock's nowMs to check the rate in virtual time).
 */

export type FeesScript =
  | { kind: 'ok' }
  | { kind: 'throttle'; retryAfterSeconds?: number }
  | { kind: 'status'; status: number; body?: string }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'malformed' }
  | { kind: 'forbidden' }
  /** Every issued token stops working from this call on (a revoked or expired authorisation). */
  | { kind: 'expire' };

export interface FeesCall {
  at: number;
  token: string | undefined;
  status: number;
  items: FeesEstimateByIdRequest[];
}

export interface FakeSpApiOptions {
  now?: () => number;
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  /** Lifetime of issued access tokens (LWA issues 3600). */
  expiresIn?: number;
  /** Enforce the usage plan: answer 429 when calls come faster than this (by `now`). */
  rate?: { perSecond: number; burst: number };
}

export const FAKE_CREDENTIALS = {
  clientId: 'amzn1.application-oa2-client.fake',
  clientSecret: 'fake-secret',
  refreshToken: 'Atzr|fake-refresh',
};

export async function startFakeSpApi(opts: FakeSpApiOptions = {}) {
  const now = opts.now ?? Date.now;
  const creds = { ...FAKE_CREDENTIALS, ...opts };
  const tokens = new Map<string, number>(); // token → expires at (by now())
  const calls: FeesCall[] = [];
  const tokenRequests: Array<{ at: number; form: Record<string, string> }> = [];
  const script: FeesScript[] = [];
  const itemErrors = new Map<string, ItemError>();
  let inFlight = 0;
  let maxInFlight = 0;
  let throttled = 0;
  let bucket = { tokens: opts.rate?.burst ?? 0, last: undefined as number | undefined };

  const state = {
    feesFor: defaultFees as (i: EstimateInput) => FeeLine[],
    expiresIn: opts.expiresIn ?? 3600,
    rate: opts.rate,
  };

  const json = (
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) =>
    res
      .writeHead(status, {
        'content-type': 'application/json',
        'x-amzn-requestid': `req-${calls.length}`,
        ...headers,
      })
      .end(JSON.stringify(body));
  const errors = (code: string, message: string, details = '') => ({ errors: [{ code, message, details }] });

  async function lwa(req: http.IncomingMessage, res: http.ServerResponse) {
    const form = Object.fromEntries(new URLSearchParams(await readRequestBody(req)));
    tokenRequests.push({ at: now(), form });
    if (form.grant_type !== 'refresh_token')
      return json(res, 400, { error: 'unsupported_grant_type', error_description: 'grant_type' });
    if (form.client_id !== creds.clientId || form.client_secret !== creds.clientSecret) {
      return json(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed' });
    }
    if (form.refresh_token !== creds.refreshToken) {
      return json(res, 400, {
        error: 'invalid_grant',
        error_description: 'The request has an invalid grant parameter : refresh_token',
      });
    }
    const token = `Atza|fake-${tokenRequests.length}`;
    tokens.set(token, now() + state.expiresIn * 1000);
    return json(res, 200, {
      access_token: token,
      refresh_token: creds.refreshToken,
      token_type: 'bearer',
      expires_in: state.expiresIn,
    });
  }

  function overRate(at: number): boolean {
    const r = state.rate;
    if (!r) return false;
    const elapsed = bucket.last === undefined ? 0 : Math.max(0, at - bucket.last);
    bucket.last = at;
    bucket.tokens = Math.min(r.burst, bucket.tokens + (elapsed * r.perSecond) / 1000);
    if (bucket.tokens + 1e-9 >= 1) {
      bucket.tokens -= 1;
      return false;
    }
    return true;
  }

  async function fees(req: http.IncomingMessage, res: http.ServerResponse) {
    const at = now();
    const token = req.headers['x-amz-access-token'] as string | undefined;
    const raw = await readRequestBody(req);
    let items: FeesCall['items'] = [];
    try {
      items = JSON.parse(raw);
    } catch {
      // recorded as an empty call; answered 400 below
    }
    const call: FeesCall = { at, token, status: 200, items: Array.isArray(items) ? items : [] };
    calls.push(call);
    const reply = (status: number, body: unknown, headers?: Record<string, string>) => {
      call.status = status;
      json(res, status, body, headers);
    };
    if (script[0]?.kind === 'expire') {
      script.shift();
      tokens.clear();
    }
    const expiry = token ? tokens.get(token) : undefined;
    if (expiry === undefined || at >= expiry) {
      return reply(
        403,
        errors(
          'Unauthorized',
          'Access to requested resource is denied.',
          'The access token you provided has expired.',
        ),
      );
    }
    if (overRate(at)) {
      throttled++;
      return reply(429, errors('QuotaExceeded', 'You exceeded your quota for the requested resource.'), {
        'x-amzn-ratelimit-limit': String(state.rate?.perSecond),
      });
    }
    const step = script.shift();
    if (step?.kind === 'throttle') {
      throttled++;
      const h: Record<string, string> = { 'x-amzn-ratelimit-limit': '0.5' };
      if (step.retryAfterSeconds !== undefined) h['retry-after'] = String(step.retryAfterSeconds);
      return reply(429, errors('QuotaExceeded', 'You exceeded your quota for the requested resource.'), h);
    }
    if (step?.kind === 'status') {
      call.status = step.status;
      return res
        .writeHead(step.status, { 'content-type': 'application/json' })
        .end(step.body ?? JSON.stringify(errors('InternalFailure', 'We encountered an internal error.')));
    }
    if (step?.kind === 'forbidden')
      return reply(403, errors('Unauthorized', 'Access to requested resource is denied.', ''));
    if (step?.kind === 'malformed') {
      return res
        .writeHead(200, { 'content-type': 'application/json' })
        .end('[{"Status": "Success", "FeesEstimateIdentifier": ');
    }
    if (!Array.isArray(items) || items.length === 0 || items.length > 20) {
      return reply(
        400,
        errors(
          'InvalidInput',
          `the request must list 1 to 20 items, got ${Array.isArray(items) ? items.length : 'no list'}`,
        ),
      );
    }
    for (const it of items) {
      const r = it?.FeesEstimateRequest;
      const price = r?.PriceToEstimateFees?.ListingPrice;
      if (
        !['ASIN', 'SellerSKU'].includes(it?.IdType) ||
        !it.IdValue ||
        !r?.MarketplaceId ||
        !r.Identifier ||
        typeof price?.Amount !== 'number' ||
        !price.CurrencyCode
      ) {
        return reply(400, errors('InvalidInput', `invalid FeesEstimateByIdRequest ${JSON.stringify(it)}`));
      }
    }
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    if (step?.kind === 'slow') await new Promise((r) => setTimeout(r, step.delayMs));
    inFlight--;
    if (res.destroyed) return;
    reply(
      200,
      items.map((it) => {
        const error = itemErrors.get(it.IdValue);
        return estimateResult(it, error ? { error } : { lines: state.feesFor(feeInput(it)) }, now());
      }),
      { 'x-amzn-ratelimit-limit': '0.5' },
    );
  }

  const server = await startServer(async (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'POST' && path === '/auth/o2/token') return lwa(req, res);
    if (req.method === 'POST' && path === '/products/fees/v0/feesEstimate') return fees(req, res);
    json(res, 404, errors('NotFound', `no route ${req.method} ${path}`));
  });

  return {
    url: server.url,
    lwaUrl: `${server.url}/auth/o2/token`,
    calls,
    tokenRequests,
    /** Calls answered 200 (throttled, refused and failed ones excluded). */
    okCalls: () => calls.filter((c) => c.status === 200),
    get maxInFlight() {
      return maxInFlight;
    },
    get throttled() {
      return throttled;
    },
    /** Answers for the next calls, in order; calls after the script get normal answers. */
    script: (...steps: FeesScript[]) => script.push(...steps),
    failItem: (asin: string, Code: string, Message: string) => itemErrors.set(asin, { Code, Message }),
    setFees: (fn: (i: EstimateInput) => FeeLine[]) => {
      state.feesFor = fn;
    },
    setExpiresIn: (seconds: number) => {
      state.expiresIn = seconds;
    },
    /** Invalidates every issued access token (as a revoked authorisation would). */
    revokeTokens: () => tokens.clear(),
    resetRate: () => {
      bucket = { tokens: opts.rate?.burst ?? 0, last: undefined };
    },
    close: () => server.close(),
  };
}

export type FakeSpApi = Awaited<ReturnType<typeof startFakeSpApi>>;
