import { AppError } from '../../platform/errors.ts';
import { type HttpClient, isHttpClientError } from '../../platform/http/client.ts';
import { cents } from '../../platform/money.ts';
import {
  type FeeBreakdown,
  type FeeRequestItem,
  type FeeSource,
  failed,
  type ItemOutcome,
} from './estimate.ts';

// GET {HELIUM10_BASE_URL}/financials/fba-fees/{asin} with a bearer key, one ASIN per call, at most
// 5 in flight. The answer (as the seed's client read it): {referralFee, fulfillmentFee, storageFee,
// currency}, optionally {otherFees}; `marketplace` and `price` ask for the fees at our price.
export const HELIUM10_CONCURRENCY = 5;

interface Helium10Fees {
  referralFee?: unknown;
  fulfillmentFee?: unknown;
  storageFee?: unknown;
  otherFees?: unknown;
  currency?: unknown;
}

export function helium10Breakdown(body: unknown, fallbackCurrency: string): FeeBreakdown | string {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'the answer is not a JSON object';
  const b = ((body as { data?: unknown }).data ?? body) as Helium10Fees;
  const fees: FeeBreakdown = {
    referral: cents(b.referralFee),
    fulfilment: cents(b.fulfillmentFee),
    storage: cents(b.storageFee),
    other: cents(b.otherFees),
    currency: typeof b.currency === 'string' && /^[A-Z]{3}$/.test(b.currency) ? b.currency : fallbackCurrency,
  };
  if (fees.referral === null && fees.fulfilment === null)
    return 'no referralFee or fulfillmentFee in the answer';
  return fees;
}

export function createHelium10Source(http: HttpClient): FeeSource {
  let calls = 0;
  async function one(item: FeeRequestItem, signal?: AbortSignal): Promise<ItemOutcome> {
    calls++;
    let res: Awaited<ReturnType<HttpClient['request']>>;
    try {
      res = await http.request({
        path: `/financials/fba-fees/${encodeURIComponent(item.asin)}`,
        query: { marketplace: item.marketplace, price: item.price },
        allowStatus: [404],
        signal,
      });
    } catch (err) {
      if (isHttpClientError(err) && (err.status === 401 || err.status === 403)) {
        throw new AppError(
          'unauthorized',
          `Helium10 refused the API key (HTTP ${err.status}); check HELIUM10_KEY`,
          { api: 'helium10', status: err.status },
        );
      }
      throw err;
    }
    if (res.status === 404) return failed(item.key, 'NotFound', `Helium10 knows no fees for ${item.asin}`);
    let body: unknown;
    try {
      body = res.json();
    } catch (err) {
      return failed(item.key, 'InvalidResponse', err instanceof Error ? err.message : String(err));
    }
    const fees = helium10Breakdown(body, item.currency);
    return typeof fees === 'string'
      ? failed(item.key, 'InvalidEstimate', fees)
      : { key: item.key, ok: true, fees };
  }
  return {
    name: 'helium10',
    batchSize: 1,
    concurrency: HELIUM10_CONCURRENCY,
    stats: () => ({ calls }),
    estimate: (items, signal) => Promise.all(items.map((i) => one(i, signal))),
  };
}
