import type http from 'node:http';
import { readRequestBody, startServer } from '../helpers/http.ts';
import { FAKE_CREDENTIALS } from './spapi.ts';
import { createFakeFeeds } from './spapi-feeds.ts';

/**
 * A local SP-API for the repricer: the LWA token endpoint (refresh-token grant, same credentials as
 * the fees fake) and Listings Items 2021-08-01 patchListingsItem
 * (PATCH /listings/2021-08-01/items/{sellerId}/{sku}?marketplaceIds=…), answering the documented
 * ListingsItemSubmissionResponse {sku, status, submissionId, issues} or ErrorList {errors}. Tests
 * script answers per SKU and read back every call with its arrival time by `now`.
 */

export type ListingsScript =
  | { kind: 'accept' }
  /** 200 with status INVALID and Amazon's issues. */
  | { kind: 'invalid'; code?: string; message?: string }
  /** 400 ErrorList (a malformed or refused request). */
  | { kind: 'bad_request'; message?: string }
  | { kind: 'throttle'; retryAfterSeconds?: number }
  | { kind: 'status'; status: number };

export interface PatchCall {
  at: number;
  token: string | undefined;
  sellerId: string;
  sku: string;
  marketplaceIds: string | null;
  contentType: string | undefined;
  body: unknown;
  status: number;
}

const PATH = /^\/listings\/2021-08-01\/items\/([^/]+)\/([^/]+)$/;

export async function startFakeListingsApi(opts: { now?: () => number; expiresIn?: number } = {}) {
  const now = opts.now ?? Date.now;
  const tokens = new Map<string, number>();
  const tokenRequests: Array<{ at: number; form: Record<string, string> }> = [];
  const calls: PatchCall[] = [];
  const scripts = new Map<string, ListingsScript[]>();
  let submissions = 0;

  const json = (
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

  async function lwa(req: http.IncomingMessage, res: http.ServerResponse) {
    const form = Object.fromEntries(new URLSearchParams(await readRequestBody(req)));
    tokenRequests.push({ at: now(), form });
    if (
      form.grant_type !== 'refresh_token' ||
      form.client_id !== FAKE_CREDENTIALS.clientId ||
      form.client_secret !== FAKE_CREDENTIALS.clientSecret ||
      form.refresh_token !== FAKE_CREDENTIALS.refreshToken
    ) {
      return json(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed' });
    }
    const token = `Atza|listings-${tokenRequests.length}`;
    tokens.set(token, now() + (opts.expiresIn ?? 3600) * 1000);
    return json(res, 200, { access_token: token, token_type: 'bearer', expires_in: opts.expiresIn ?? 3600 });
  }

  async function patch(req: http.IncomingMessage, res: http.ServerResponse, m: RegExpExecArray) {
    const url = new URL(req.url ?? '', 'http://fake');
    const raw = await readRequestBody(req);
    let body: unknown = null;
    try {
      body = JSON.parse(raw);
    } catch {}
    const call: PatchCall = {
      at: now(),
      token: req.headers['x-amz-access-token'] as string | undefined,
      sellerId: decodeURIComponent(m[1]!),
      sku: decodeURIComponent(m[2]!),
      marketplaceIds: url.searchParams.get('marketplaceIds'),
      contentType: req.headers['content-type'],
      body,
      status: 200,
    };
    calls.push(call);
    const reply = (status: number, b: unknown, h?: Record<string, string>) => {
      call.status = status;
      json(res, status, b, h);
    };
    const expiry = call.token ? tokens.get(call.token) : undefined;
    if (expiry === undefined || call.at >= expiry) {
      return reply(403, {
        errors: [{ code: 'Unauthorized', message: 'Access to requested resource is denied.' }],
      });
    }
    const step = scripts.get(call.sku)?.shift() ?? { kind: 'accept' };
    if (step.kind === 'throttle') {
      const h: Record<string, string> = { 'x-amzn-ratelimit-limit': '5.0' };
      if (step.retryAfterSeconds !== undefined) h['retry-after'] = String(step.retryAfterSeconds);
      return reply(429, { errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota.' }] }, h);
    }
    if (step.kind === 'status') {
      return reply(step.status, {
        errors: [{ code: 'InternalFailure', message: 'We encountered an internal error.' }],
      });
    }
    if (step.kind === 'bad_request') {
      return reply(400, {
        errors: [{ code: 'InvalidInput', message: step.message ?? 'Invalid input', details: '' }],
      });
    }
    submissions++;
    const submissionId = `sub-${submissions}`;
    if (step.kind === 'invalid') {
      return reply(200, {
        sku: call.sku,
        status: 'INVALID',
        submissionId,
        issues: [
          {
            code: step.code ?? '90220',
            message: step.message ?? "'purchasable_offer' is required but not supplied.",
            severity: 'ERROR',
            attributeNames: ['purchasable_offer'],
          },
        ],
      });
    }
    return reply(
      200,
      { sku: call.sku, status: 'ACCEPTED', submissionId, issues: [] },
      { 'x-amzn-ratelimit-limit': '5.0' },
    );
  }

  let baseUrl = '';
  const feeds = createFakeFeeds({
    now,
    baseUrl: () => baseUrl,
    authorised: (token) => {
      const expiry = token ? tokens.get(token) : undefined;
      return expiry !== undefined && now() < expiry;
    },
  });
  const server = await startServer(async (req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    if (req.method === 'POST' && path === '/auth/o2/token') return lwa(req, res);
    const m = PATH.exec(path);
    if (req.method === 'PATCH' && m) return patch(req, res, m);
    if (await feeds.handle(req, res, path)) return;
    json(res, 404, { errors: [{ code: 'NotFound', message: `no route ${req.method} ${path}` }] });
  });

  baseUrl = server.url;
  return {
    url: server.url,
    /** Feeds API 2021-06-30 on the same server (see spapi-feeds.ts). */
    feeds,
    lwaUrl: `${server.url}/auth/o2/token`,
    calls,
    tokenRequests,
    /** Answers for the next calls about `sku`, in order; later calls are accepted. */
    script: (sku: string, ...steps: ListingsScript[]) =>
      scripts.set(sku, [...(scripts.get(sku) ?? []), ...steps]),
    close: () => server.close(),
  };
}

export type FakeListingsApi = Awaited<ReturnType<typeof startFakeListingsApi>>;
