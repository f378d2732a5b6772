import type { Clock } from '../clock.ts';
import { AppError } from '../errors.ts';
import type { HttpClient } from '../http/client.ts';

export interface LwaCredentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

/** Access tokens for SP-API calls, exchanged from the seller's refresh token and cached. */
export interface LwaAuth {
  token(signal?: AbortSignal): Promise<string>;
  /** Forgets the cached token (SP-API refused it), so the next call exchanges a new one. */
  invalidate(): void;
  /** Exchanges made so far (for run results and tests). */
  readonly exchanges: number;
}

interface TokenResponse {
  access_token?: unknown;
  expires_in?: unknown;
  error?: unknown;
  error_description?: unknown;
}

// A token is replaced a little before it expires, so one taken for a request that then waits for
// the rate limit or a retry is still valid when it is sent: 60 s of a 1-hour token, less for short ones.
const MAX_EARLY_MS = 60_000;

/** How a refused login's message begins: the alerts domain raises a system alert on it from agent runs. */
export const LWA_REFUSED = 'SP-API login (LWA) refused the credentials';

function refusal(status: number, body: TokenResponse): AppError {
  const code = typeof body.error === 'string' ? body.error : `HTTP ${status}`;
  const why = typeof body.error_description === 'string' ? `: ${body.error_description}` : '';
  const fix =
    code === 'invalid_grant'
      ? 're-authorise the app in Seller Central and set SP_API_REFRESH_TOKEN'
      : code === 'invalid_client' || code === 'unauthorized_client'
        ? 'check SP_API_CLIENT_ID and SP_API_CLIENT_SECRET'
        : 'check the SP_API_* credentials';
  return new AppError('unauthorized', `${LWA_REFUSED} (${code}${why}); ${fix}`, {
    api: 'lwa',
    status,
    error: code,
  });
}

/**
 * Login with Amazon refresh-token grant (POST form grant_type=refresh_token, refresh_token,
 * client_id, client_secret → {access_token, expires_in}): the seller's authorisation, for every
 * operation that acts on the seller's data.
 */
export function createLwaAuth(http: HttpClient, creds: LwaCredentials, clock: Clock): LwaAuth {
  return tokenCache(
    http,
    () =>
      new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: creds.refreshToken,
        client_id: creds.clientId,
        client_secret: creds.clientSecret,
      }),
    clock,
  );
}

/** The Notifications API's destinations are the application's, not a seller's: no refresh token. */
export const NOTIFICATIONS_SCOPE = 'sellingpartnerapi::notifications';

/**
 * Login with Amazon client-credentials grant (grant_type=client_credentials, scope, client_id,
 * client_secret) for SP-API's grantless operations, which act for the application itself (e.g.
 * createDestination, getDestinations under scope sellingpartnerapi::notifications).
 */
export function createLwaGrantlessAuth(
  http: HttpClient,
  creds: Pick<LwaCredentials, 'clientId' | 'clientSecret'>,
  scope: string,
  clock: Clock,
): LwaAuth {
  return tokenCache(
    http,
    () =>
      new URLSearchParams({
        grant_type: 'client_credentials',
        scope,
        client_id: creds.clientId,
        client_secret: creds.clientSecret,
      }),
    clock,
  );
}

/**
 * An access token from `form`'s grant, cached until a little before it expires. One exchange at a
 * time: callers that need a token while one is being fetched wait for it instead of asking again.
 */
function tokenCache(http: HttpClient, form: () => URLSearchParams, clock: Clock): LwaAuth {
  let cached: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;
  let exchanges = 0;

  async function exchange(signal?: AbortSignal): Promise<string> {
    exchanges++;
    const res = await http.request({
      method: 'POST',
      body: form(),
      // 400 invalid_grant / 401 invalid_client carry the reason in the body: read it, don't retry
      allowStatus: [400, 401, 403],
      signal,
    });
    let body: TokenResponse = {};
    try {
      body = res.json<TokenResponse>() ?? {};
    } catch (err) {
      if (res.status < 400) throw err;
    }
    if (res.status >= 400) throw refusal(res.status, body);
    const expiresIn = Number(body.expires_in);
    if (typeof body.access_token !== 'string' || !body.access_token || !(expiresIn > 0)) {
      throw new AppError('upstream', 'SP-API login (LWA) answered without access_token/expires_in', {
        api: 'lwa',
        status: res.status,
      });
    }
    const lifetimeMs = expiresIn * 1000;
    cached = {
      token: body.access_token,
      renewAt: clock.now().getTime() + lifetimeMs - Math.min(MAX_EARLY_MS, lifetimeMs / 10),
    };
    return body.access_token;
  }

  return {
    get exchanges() {
      return exchanges;
    },
    token(signal) {
      if (cached && clock.now().getTime() < cached.renewAt) return Promise.resolve(cached.token);
      pending ??= exchange(signal).finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
