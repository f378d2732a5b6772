import type http from 'node:http';
import { readRequestBody, startServer } from '../helpers/http.ts';
import { FAKE_CREDENTIALS } from './spapi.ts';

/**
 * A local SP-API Notifications API v1 with its LWA token endpoint, for `awa offers subscribe`:
 * - LWA: the refresh-token grant (the seller's token) and the client-credentials grant with a scope
 *   (grantless operations); tokens remember which they are.
 * - GET/POST /notifications/v1/destinations: grantless only (a seller token is refused 403, as
 *   Amazon refuses it); POST {name, resourceSpecification: {sqs: {arn}}} → {payload: Destination};
 *   the same ARN twice is a 409 (Amazon refuses a second destination for one resource).
 * - GET/POST /notifications/v1/subscriptions/{type}: the seller's token; POST {payloadVersion,
 *   destinationId} → {payload: Subscription}, 409 Conflict when the seller is subscribed already;
 *   GET answers 404 when not.
 * Tests script 429s (with Retry-After) and read back every call.
 */

interface Token {
  kind: 'seller' | 'grantless';
  scope?: string;
}

export interface NotificationsCall {
  at: number;
  method: string;
  path: string;
  token: Token | undefined;
  body: unknown;
  status: number;
}

export async function startFakeNotificationsApi(opts: { now?: () => number } = {}) {
  const now = opts.now ?? Date.now;
  const tokens = new Map<string, Token>();
  const tokenRequests: Array<{ at: number; form: Record<string, string> }> = [];
  const calls: NotificationsCall[] = [];
  const destinations: Array<{ destinationId: string; name: string; resource: { sqs: { arn: string } } }> = [];
  const subscriptions = new Map<
    string,
    { subscriptionId: string; payloadVersion: string; destinationId: string }
  >();
  const throttles: number[] = [];

  const json = (res: http.ServerResponse, status: number, body: unknown, h: Record<string, string> = {}) =>
    res.writeHead(status, { 'content-type': 'application/json', ...h }).end(JSON.stringify(body));
  const errors = (code: string, message: string) => ({ errors: [{ code, message, details: '' }] });

  async function lwa(req: http.IncomingMessage, res: http.ServerResponse) {
    const form = Object.fromEntries(new URLSearchParams(await readRequestBody(req)));
    tokenRequests.push({ at: now(), form });
    if (
      form.client_id !== FAKE_CREDENTIALS.clientId ||
      form.client_secret !== FAKE_CREDENTIALS.clientSecret
    ) {
      return json(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed' });
    }
    let token: Token;
    if (form.grant_type === 'refresh_token' && form.refresh_token === FAKE_CREDENTIALS.refreshToken) {
      token = { kind: 'seller' };
    } else if (form.grant_type === 'client_credentials' && form.scope) {
      token = { kind: 'grantless', scope: form.scope };
    } else {
      return json(res, 400, {
        error: 'invalid_grant',
        error_description: `grant ${form.grant_type} refused`,
      });
    }
    const id = `Atza|notif-${token.kind}-${tokenRequests.length}`;
    tokens.set(id, token);
    return json(res, 200, { access_token: id, token_type: 'bearer', expires_in: 3600 });
  }

  async function api(req: http.IncomingMessage, res: http.ServerResponse, path: string) {
    const raw = await readRequestBody(req);
    let body: unknown = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {}
    const token = tokens.get(String(req.headers['x-amz-access-token'] ?? ''));
    const call: NotificationsCall = { at: now(), method: req.method ?? '', path, token, body, status: 0 };
    calls.push(call);
    const reply = (status: number, b: unknown, h?: Record<string, string>) => {
      call.status = status;
      json(res, status, b, h);
    };
    if (throttles.length > 0) {
      return reply(429, errors('QuotaExceeded', 'You exceeded your quota for the requested resource.'), {
        'retry-after': String(throttles.shift()),
      });
    }
    if (!token) return reply(403, errors('Unauthorized', 'Access to requested resource is denied.'));
    if (path === '/notifications/v1/destinations') {
      if (token.kind !== 'grantless' || token.scope !== 'sellingpartnerapi::notifications') {
        return reply(
          403,
          errors('Unauthorized', 'createDestination/getDestinations are grantless operations'),
        );
      }
      if (req.method === 'GET') return reply(200, { payload: destinations });
      const b = body as { name?: string; resourceSpecification?: { sqs?: { arn?: string } } } | null;
      const arn = b?.resourceSpecification?.sqs?.arn;
      if (!b?.name || !arn)
        return reply(400, errors('InvalidInput', 'name and resourceSpecification are required'));
      if (destinations.some((d) => d.resource.sqs.arn === arn)) {
        return reply(409, errors('Conflict', 'A destination for this resource already exists.'));
      }
      const d = {
        destinationId: `dest-${destinations.length + 1}`,
        name: b.name,
        resource: { sqs: { arn } },
      };
      destinations.push(d);
      return reply(200, { payload: d });
    }
    const m = /^\/notifications\/v1\/subscriptions\/([A-Z_]+)$/.exec(path);
    if (m) {
      if (token.kind !== 'seller')
        return reply(403, errors('Unauthorized', 'subscriptions need the seller token'));
      const type = m[1]!;
      const existing = subscriptions.get(type);
      if (req.method === 'GET') {
        return existing
          ? reply(200, { payload: existing })
          : reply(404, errors('NotFound', 'The resource you have requested cannot be found.'));
      }
      if (existing)
        return reply(409, errors('Conflict', 'Subscription for this notification type already exists.'));
      const b = body as { payloadVersion?: string; destinationId?: string } | null;
      if (!b?.destinationId || !destinations.some((d) => d.destinationId === b.destinationId)) {
        return reply(400, errors('InvalidInput', 'destinationId is not a destination of this application'));
      }
      const s = {
        subscriptionId: `sub-${type}`,
        payloadVersion: b.payloadVersion ?? '1.0',
        destinationId: b.destinationId,
      };
      subscriptions.set(type, s);
      return reply(200, { payload: s });
    }
    return reply(404, errors('NotFound', `no route ${req.method} ${path}`));
  }

  const server = await startServer(async (req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    if (req.method === 'POST' && path === '/auth/o2/token') return lwa(req, res);
    return api(req, res, path);
  });
  return {
    url: server.url,
    lwaUrl: `${server.url}/auth/o2/token`,
    calls,
    tokenRequests,
    destinations,
    subscriptions,
    /** The next calls answer 429 with these Retry-After seconds. */
    throttle: (...retryAfterSeconds: number[]) => throttles.push(...retryAfterSeconds),
    close: () => server.close(),
  };
}

export type FakeNotificationsApi = Awaited<ReturnType<typeof startFakeNotificationsApi>>;
