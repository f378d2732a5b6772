import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/**
 * The one way the browser talks to the API. Every request goes same-origin with the session cookie;
 * every write carries the CSRF token the API handed out with GET /api/v1/me. Any non-2xx answer
 * becomes an ApiError carrying the server's code, message, details and request id, so a page can
 * show an error a person can act on (and quote the request id) instead of "something went wrong".
 */

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly request_id?: string,
    /** Seconds to wait before trying again (429/503 Retry-After), when the server said. */
    readonly retry_after?: number,
  ) {
    super(message);
  }
}

function retryAfter(headers: Headers): number | undefined {
  const v = headers.get('retry-after');
  if (!v) return undefined;
  const n = Number(v);
  if (Number.isFinite(n)) return n;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.round((at - Date.now()) / 1000));
}

let csrfToken: string | undefined;

/** Called with GET /api/v1/me's csrf_token; bearer-token sessions (dev proxy) have none. */
export function setCsrfToken(token: string | null | undefined): void {
  csrfToken = token ?? undefined;
}

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];
export type Query = Record<string, QueryValue>;

/** `?a=1&b=x` from an object: undefined, null and '' are left out, arrays are comma lists. */
export function toQueryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) params.set(key, value.join(','));
    } else params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
}

export const API_BASE = '/api/v1';

/** The API's error body `{ error: { code, message, details?, request_id } }` (or anything else) → ApiError. */
export function toApiError(res: Response, body: unknown): ApiError {
  const err = (
    body as { error?: { code?: string; message?: string; details?: unknown; request_id?: string } }
  )?.error;
  const wait = retryAfter(res.headers);
  if (err && typeof err.message === 'string') {
    return new ApiError(
      res.status,
      err.code ?? `http_${res.status}`,
      err.message,
      err.details,
      err.request_id,
      wait,
    );
  }
  return new ApiError(
    res.status,
    `http_${res.status}`,
    `The server answered ${res.status} ${res.statusText || ''}`.trim(),
    undefined,
    res.headers.get('x-request-id') ?? undefined,
    wait,
  );
}

async function errorFrom(res: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  return toApiError(res, body);
}

/** Sends a request to `/api/v1<path>` and returns the parsed JSON (or undefined for 204). */
export async function apiRequest<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`${API_BASE}${path}${toQueryString(opts.query)}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (cause) {
    if ((cause as Error).name === 'AbortError') throw cause;
    throw new ApiError(0, 'network', 'The API could not be reached. Check the connection and try again.');
  }
  if (!res.ok) throw await errorFrom(res);
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) =>
    apiRequest<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => apiRequest<T>('POST', path, { body: body ?? {} }),
  put: <T>(path: string, body?: unknown) => apiRequest<T>('PUT', path, { body: body ?? {} }),
  patch: <T>(path: string, body?: unknown) => apiRequest<T>('PATCH', path, { body: body ?? {} }),
  delete: <T>(path: string, query?: Query) => apiRequest<T>('DELETE', path, { query }),
};

/** Adds the CSRF token to every write; the session cookie goes along by `credentials: 'same-origin'`. */
const csrfMiddleware: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET' && request.method !== 'HEAD' && csrfToken) {
      request.headers.set('x-csrf-token', csrfToken);
    }
    return request;
  },
};

/**
 * The typed client over the generated `paths` (web/src/api/schema.d.ts, `npm run gen:api`):
 * `const data = await unwrap(apiClient.GET('/api/v1/roi', { params: { query } }))`.
 */
export const apiClient = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
apiClient.use(csrfMiddleware);

/** openapi-fetch's `{ data, error, response }` → the data, or an ApiError for a non-2xx answer. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (cause) {
    if ((cause as Error).name === 'AbortError') throw cause;
    throw new ApiError(0, 'network', 'The API could not be reached. Check the connection and try again.');
  }
  const { data, error, response } = result;
  if (response.ok) return data as T;
  throw toApiError(response, error);
}
