import type { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import { createHttpClient } from '../http/client.ts';
import { isHttpClientError } from '../http/errors.ts';
import { type ClientTuning, clientBase } from '../http/tuning.ts';
import type { HttpClient, RequestOptions } from '../http/types.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { createLwaAuth, createLwaGrantlessAuth, type LwaAuth } from './lwa.ts';
import { spApiBaseUrl } from './marketplaces.ts';

/**
 * The one way AWA calls SP-API: Login with Amazon for the access token, one client per operation
 * (each operation has its own usage plan on Amazon's side, so its own token bucket here, shared by
 * every worker through Redis when there is one), and the same answer to a refused token everywhere.
 */

/** An operation's usage plan as Amazon publishes it (requests per second and burst). */
export interface SpApiPlan {
  ratePerSecond: number;
  burst: number;
  /** Requests in flight at once (default 1). */
  concurrency?: number;
}

export interface SpApiEnv {
  redis?: Redis;
  metrics?: Metrics;
  log?: Logger;
  tuning?: ClientTuning;
}

/** An operation's client; `sent` counts the calls that went out, a fresh-token retry included. */
export interface SpApiClient extends HttpClient {
  readonly sent: number;
}

export interface SpApi {
  readonly lwa: LwaAuth;
  /**
   * A client for one operation, named `spapi-<operation>` (the bucket's key and the metrics label).
   * Each call carries the access token; a call refused with 401/403 is sent once more with a fresh
   * token (one revoked or expired early), and a second refusal is the caller's to explain.
   */
  operation(name: string, plan: SpApiPlan): SpApiClient;
  /**
   * A client for a grantless operation (the application's own resources, e.g. the Notifications
   * API's destinations): its token comes from the client-credentials grant with `scope`, one cached
   * token per scope.
   */
  grantless(name: string, plan: SpApiPlan, scope: string): SpApiClient;
  /** Pre-signed document URLs (feeds, reports): no token, since the URL's signature authorises it. */
  documents(name: string): HttpClient;
}

/** The SP_API_* credentials that are not set, in the order the README lists them. */
export function missingSpApiCredentials(config: Config): string[] {
  const need: [string, unknown][] = [
    ['SP_API_CLIENT_ID', config.SP_API_CLIENT_ID],
    ['SP_API_CLIENT_SECRET', config.SP_API_CLIENT_SECRET],
    ['SP_API_REFRESH_TOKEN', config.SP_API_REFRESH_TOKEN],
  ];
  return need.filter(([, v]) => !v).map(([k]) => k);
}

/** SP-API for this configuration; call only when missingSpApiCredentials(config) is empty. */
export function createSpApi(config: Config, env: SpApiEnv = {}): SpApi {
  const common = clientBase(env.tuning, env);
  const lwaHttp = createHttpClient({
    ...common,
    api: 'lwa',
    baseUrl: config.SP_API_LWA_URL,
    secrets: [config.SP_API_CLIENT_SECRET!, config.SP_API_REFRESH_TOKEN!],
  });
  const lwa = createLwaAuth(
    lwaHttp,
    {
      clientId: config.SP_API_CLIENT_ID!,
      clientSecret: config.SP_API_CLIENT_SECRET!,
      refreshToken: config.SP_API_REFRESH_TOKEN!,
    },
    common.clock,
  );
  const baseUrl = spApiBaseUrl(config);
  const grantless = new Map<string, LwaAuth>();
  const client = (name: string, plan: SpApiPlan, auth: LwaAuth) =>
    withFreshToken(
      createHttpClient({
        ...common,
        api: `spapi-${name}`,
        baseUrl,
        ratePerSecond: plan.ratePerSecond,
        burst: plan.burst,
        redis: env.redis,
        concurrency: plan.concurrency ?? 1,
        headers: async () => ({ 'x-amz-access-token': await auth.token() }),
      }),
      auth,
    );
  return {
    lwa,
    operation: (name, plan) => client(name, plan, lwa),
    grantless(name, plan, scope) {
      let auth = grantless.get(scope);
      if (!auth) {
        auth = createLwaGrantlessAuth(
          lwaHttp,
          { clientId: config.SP_API_CLIENT_ID!, clientSecret: config.SP_API_CLIENT_SECRET! },
          scope,
          common.clock,
        );
        grantless.set(scope, auth);
      }
      return client(name, plan, auth);
    },
    documents(name) {
      return createHttpClient({ ...common, api: `spapi-${name}`, concurrency: 1 });
    },
  };
}

export const isSpApiAuthFailure = (err: unknown): boolean =>
  isHttpClientError(err) && (err.status === 401 || err.status === 403);

/** Sends a call refused for its token once more with a fresh one. */
export function withFreshToken(http: HttpClient, lwa: LwaAuth): SpApiClient {
  let sent = 0;
  const again = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      sent += 1;
      return await call();
    } catch (err) {
      if (!isSpApiAuthFailure(err)) throw err;
      lwa.invalidate();
      sent += 1;
      return await call();
    }
  };
  return {
    api: http.api,
    get sent() {
      return sent;
    },
    request: (req: RequestOptions) => again(() => http.request(req)),
    stream: (req: RequestOptions) => again(() => http.stream(req)),
  };
}

export interface SpApiError {
  code?: string;
  message?: string;
  details?: string;
}

/** The ErrorList `{"errors": [{code, message, details}]}` of a refused call; [] when it is not one. */
export function spApiErrors(responseText: string | undefined): SpApiError[] {
  try {
    const errs = (JSON.parse(responseText ?? '') as { errors?: unknown }).errors;
    return Array.isArray(errs) ? (errs as SpApiError[]) : [];
  } catch {
    return []; // not the documented error list: the status says enough
  }
}

/** The ErrorList as one line (`code: message; …`), '' when there is none. */
export function spApiErrorText(responseText: string | undefined): string {
  return spApiErrors(responseText)
    .map((e) => [e.code, e.message].filter(Boolean).join(': '))
    .join('; ');
}
