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

/** Loopback hosts, where plain http cannot be read by anyone else on the way. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Why a URL cannot receive webhooks, or undefined: signed payloads still leak their content over
 * plain http, so only https is accepted, except on loopback (a receiver on the same machine, tests).
 */
export function webhookUrlProblem(raw: string): string | undefined {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (u.protocol === 'https:') return undefined;
  if (u.protocol === 'http:' && isLoopbackHost(u.hostname)) return undefined;
  if (u.protocol === 'http:') return 'must use https:// (plain http is accepted only on loopback)';
  return 'must be an https:// URL';
}
