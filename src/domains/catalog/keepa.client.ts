import { AppError } from '../../platform/errors.ts';
import { type HttpClient, isHttpClientError } from '../../platform/http/client.ts';
import { parseRetryAfter } from '../../platform/http/retry.ts';
import type { TokenStatus } from './keepa.budget.ts';

/**
 * Keepa's HTTP API (https://keepa.com/#!discuss/c/api): GET /product and GET /token, the key as the
 * `key` query parameter (the shared client redacts it from every message and log line).
 */

/** Keepa's domain id per marketplace, and the currency its prices are in. */
export const KEEPA_DOMAINS: Record<string, { id: number; currency: string; minorDigits: number }> = {
  US: { id: 1, currency: 'USD', minorDigits: 2 },
  UK: { id: 2, currency: 'GBP', minorDigits: 2 },
  GB: { id: 2, currency: 'GBP', minorDigits: 2 },
  DE: { id: 3, currency: 'EUR', minorDigits: 2 },
  FR: { id: 4, currency: 'EUR', minorDigits: 2 },
  // Keepa's Japanese prices are whole yen, not hundredths
  JP: { id: 5, currency: 'JPY', minorDigits: 0 },
  CA: { id: 6, currency: 'CAD', minorDigits: 2 },
  IT: { id: 8, currency: 'EUR', minorDigits: 2 },
  ES: { id: 9, currency: 'EUR', minorDigits: 2 },
  IN: { id: 10, currency: 'INR', minorDigits: 2 },
  MX: { id: 11, currency: 'MXN', minorDigits: 2 },
  BR: { id: 12, currency: 'BRL', minorDigits: 2 },
};

/** Stats over the same 90 days of history the agent keeps (the ROI chart's window). */
export const STATS_DAYS = 90;

export interface KeepaTokens extends TokenStatus {
  tokensConsumed: number;
}

export type ProductsAnswer =
  | { kind: 'ok'; tokens: KeepaTokens; products: unknown[] }
  /** 429: the balance ran out (e.g. another process on the same key); wait, then ask again. */
  | { kind: 'no_tokens'; tokens?: KeepaTokens; retryAfterMs?: number };

/** A valid-JSON answer whose shape is not Keepa's: the request as a whole failed. */
export class KeepaFormatError extends Error {}

function tokensOf(body: unknown): KeepaTokens | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const tokensLeft = n(b.tokensLeft);
  const refillIn = n(b.refillIn);
  const refillRate = n(b.refillRate);
  if (tokensLeft === undefined || refillIn === undefined || refillRate === undefined) return undefined;
  return { tokensLeft, refillIn, refillRate, tokensConsumed: n(b.tokensConsumed) ?? 0 };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Keepa's own words from an error body (`{"error": {"type", "message"}}`), for the run's error. */
function keepaMessage(responseText: string | undefined): string {
  const err = (parseJson(responseText ?? '') as { error?: { type?: unknown; message?: unknown } })?.error;
  const parts = [err?.type, err?.message].filter((v): v is string => typeof v === 'string');
  return parts.length ? ` (Keepa: ${parts.join(': ')})` : '';
}

/**
 * Answers that no retry and no waiting can fix become a clear, final error: the run fails and the
 * worker does not retry it (AppError kind `config`).
 */
function rethrow(err: unknown): never {
  if (isHttpClientError(err) && err.status !== undefined) {
    const why = keepaMessage(err.responseText);
    if (err.status === 401 || err.status === 403) {
      throw new AppError(
        'config',
        `Keepa rejected KEEPA_KEY (HTTP ${err.status})${why}: check the key in your Keepa account`,
        err.details,
      );
    }
    if (err.status === 402) {
      throw new AppError(
        'config',
        `Keepa refused the request (HTTP 402 payment required)${why}: the plan of KEEPA_KEY has expired or ` +
          'has no tokens',
        err.details,
      );
    }
  }
  throw err;
}

export class KeepaApi {
  constructor(
    private readonly http: HttpClient,
    private readonly key: string,
    readonly domainId: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The balance now; costs no tokens. */
  async tokenStatus(): Promise<KeepaTokens> {
    const res = await this.http.request({ path: '/token', query: { key: this.key } }).catch(rethrow);
    const tokens = tokensOf(res.json());
    if (!tokens) throw new KeepaFormatError('Keepa /token answer has no tokensLeft/refillIn/refillRate');
    return tokens;
  }

  /** Up to 100 ASINs with 90-day stats, full csv history and the buy box series. */
  async products(asins: string[]): Promise<ProductsAnswer> {
    const res = await this.http
      .request({
        path: '/product',
        query: {
          key: this.key,
          domain: this.domainId,
          asin: asins.join(','),
          stats: STATS_DAYS,
          history: 1,
          buybox: 1,
        },
        // a 429 is about tokens, not load: the caller waits for the refill Keepa reports
        allowStatus: [429],
      })
      .catch(rethrow);
    if (res.status === 429) {
      return {
        kind: 'no_tokens',
        tokens: tokensOf(parseJson(res.text())),
        retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), this.now()),
      };
    }
    const body = res.json<Record<string, unknown>>();
    const tokens = tokensOf(body);
    if (!tokens) throw new KeepaFormatError('Keepa /product answer has no tokensLeft/refillIn/refillRate');
    if (!Array.isArray(body.products))
      throw new KeepaFormatError('Keepa /product answer has no products list');
    return { kind: 'ok', tokens, products: body.products };
  }
}
