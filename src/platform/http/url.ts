import { AppError, messageOf } from '../errors.ts';
import type { HttpClientOptions, RequestOptions } from './types.ts';

export function buildUrl(api: string, baseUrl: string | undefined, req: RequestOptions): URL {
  let raw = req.url ?? req.path ?? '';
  if (!/^https?:\/\//i.test(raw)) {
    if (!baseUrl) throw new AppError('config', `${api}: no baseUrl configured for path "${raw}"`);
    raw = raw ? `${baseUrl.replace(/\/+$/, '')}/${raw.replace(/^\/+/, '')}` : baseUrl;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('config', `${api}: invalid URL "${raw.replace(/\?.*$/, '')}"`);
  }
  for (const [name, value] of Object.entries(req.query ?? {})) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const v of value) url.searchParams.append(name, String(v));
    else url.searchParams.set(name, String(value));
  }
  return url;
}

export async function buildHeaders(
  source: HttpClientOptions['headers'],
  req: RequestOptions,
): Promise<Headers> {
  const base = typeof source === 'function' ? await source() : source;
  const h = new Headers({ 'user-agent': 'awa', ...base, ...req.headers });
  if (req.json !== undefined && !h.has('content-type')) h.set('content-type', 'application/json');
  return h;
}

/** "ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9" rather than undici's bare "fetch failed". */
export function networkText(err: unknown): string {
  let e: unknown = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  const code = (e as { code?: unknown } | undefined)?.code;
  const msg = messageOf(e);
  return typeof code === 'string' && !msg.includes(code) ? `${code}: ${msg}` : msg;
}
