import type { LwaAuth } from '../../platform/amazon/lwa.ts';
import { isSpApiAuthFailure, type SpApiClient, spApiErrorText } from '../../platform/amazon/spapi.ts';
import { AppError } from '../../platform/errors.ts';
import { HttpClientError, isHttpClientError } from '../../platform/http/client.ts';
import { type Ratio, roundHalfUp, sum, toRatio } from '../../platform/money.ts';
import {
  type FeeBreakdown,
  type FeeRequestItem,
  type FeeSource,
  failed,
  type ItemOutcome,
} from './estimate.ts';

// Product Fees API v0, getMyFeesEstimates (models/product-fees-api-model/productFeesV0.json):
// POST /products/fees/v0/feesEstimate, body = array of FeesEstimateByIdRequest, 200 = array of
// FeesEstimateResult. Usage plan 0.5 requests/s, burst 1; at most 20 items per request.
export const FEES_PATH = '/products/fees/v0/feesEstimate';
export const SP_API_BATCH = 20;

interface MoneyType {
  CurrencyCode?: string;
  Amount?: number;
}

interface FeeDetail {
  FeeType?: string;
  FeeAmount?: MoneyType;
  FinalFee?: MoneyType;
}

interface FeesEstimateResult {
  Status?: string;
  FeesEstimateIdentifier?: { SellerInputIdentifier?: string; IdValue?: string; MarketplaceId?: string };
  FeesEstimate?: { TotalFeesEstimate?: MoneyType; FeeDetailList?: FeeDetail[] };
  Error?: { Type?: string; Code?: string; Message?: string };
}

export function feesRequestBody(items: FeeRequestItem[]) {
  return items.map((i) => ({
    IdType: 'ASIN',
    IdValue: i.asin,
    FeesEstimateRequest: {
      MarketplaceId: i.marketplaceId,
      IsAmazonFulfilled: i.amazonFulfilled,
      PriceToEstimateFees: { ListingPrice: { CurrencyCode: i.currency, Amount: Number(i.price) } },
      Identifier: i.key,
    },
  }));
}

type Bucket = 'referral' | 'fulfilment' | 'storage' | 'other';

/**
 * ReferralFee is the referral fee; FBAFees (whose IncludedFeeDetailList breaks it down; only the
 * top-level list is summed, so nothing counts twice) and any other FBA* fee are fulfilment; storage
 * fees are storage; VariableClosingFee, PerItemFee and the rest are `other`.
 */
function bucketOf(feeType: string): Bucket {
  if (feeType === 'ReferralFee') return 'referral';
  if (/storage/i.test(feeType)) return 'storage';
  if (feeType.startsWith('FBA')) return 'fulfilment';
  return 'other';
}

/** The estimate's fees per bucket, or the reason it cannot be used. */
export function breakdown(r: FeesEstimateResult, fallbackCurrency: string): FeeBreakdown | string {
  const list = r.FeesEstimate?.FeeDetailList;
  if (!Array.isArray(list) || list.length === 0) return 'the estimate has no FeeDetailList';
  const parts: Record<Bucket, Ratio[]> = { referral: [], fulfilment: [], storage: [], other: [] };
  const currencies = new Set<string>();
  for (const d of list) {
    // FinalFee is after fee promotions: what the seller is charged
    const money = d.FinalFee ?? d.FeeAmount;
    const amount = toRatio(money?.Amount);
    if (typeof d.FeeType !== 'string' || !amount) return `unreadable fee detail ${JSON.stringify(d)}`;
    if (money?.CurrencyCode) currencies.add(money.CurrencyCode);
    parts[bucketOf(d.FeeType)].push(amount);
  }
  if (currencies.size > 1) return `fees in several currencies (${[...currencies].join(', ')})`;
  const round = (b: Bucket) => {
    const total = sum(parts[b]);
    return total ? roundHalfUp(total) : null;
  };
  return {
    referral: round('referral'),
    fulfilment: round('fulfilment'),
    storage: round('storage'),
    other: round('other'),
    currency: [...currencies][0] ?? r.FeesEstimate?.TotalFeesEstimate?.CurrencyCode ?? fallbackCurrency,
  };
}

/** Matches each answer to its request by the Identifier we sent (SellerInputIdentifier). */
export function outcomes(items: FeeRequestItem[], body: unknown): ItemOutcome[] {
  if (!Array.isArray(body)) {
    throw new AppError('upstream', 'SP-API getMyFeesEstimates answered with something other than a list', {
      api: 'spapi',
    });
  }
  const byKey = new Map<string, FeesEstimateResult>();
  for (const r of body as FeesEstimateResult[]) {
    const key = r?.FeesEstimateIdentifier?.SellerInputIdentifier;
    if (typeof key === 'string') byKey.set(key, r);
  }
  return items.map((item) => {
    const r = byKey.get(item.key);
    if (!r) return failed(item.key, 'MissingResult', 'no result for this item in the response');
    if (r.Status !== 'Success') {
      const code = r.Error?.Code || r.Status || 'UnknownStatus';
      return failed(item.key, code, r.Error?.Message || `status ${String(r.Status)}`);
    }
    const fees = breakdown(r, item.currency);
    return typeof fees === 'string'
      ? failed(item.key, 'InvalidEstimate', fees)
      : { key: item.key, ok: true, fees };
  });
}

/** A refused call (400 InvalidInput…) with SP-API's reason in the message, for the run's error list. */
function withReason(err: unknown): unknown {
  if (!isHttpClientError(err) || err.reason !== 'status') return err;
  const why = spApiErrorText(err.responseText);
  if (!why) return err;
  const { api, method, url, reason, attempts, status, retryAfterMs, responseText } = err;
  return new HttpClientError(
    { api, method, url, reason, attempts, status, retryAfterMs, responseText },
    `${err.message} (${why})`,
  );
}

/**
 * `http` is the fees operation's SP-API client (platform/amazon/spapi.ts): it has already sent a call
 * refused for its token once more with a fresh one, so a refusal here is for the app's rights.
 */
export function createSpApiSource(http: SpApiClient, lwa: LwaAuth): FeeSource {
  return {
    name: 'sp_api',
    batchSize: SP_API_BATCH,
    // one call at a time: answers take well under the 2 s between calls, so the bucket sets the pace
    concurrency: 1,
    stats: () => ({ calls: http.sent, token_exchanges: lwa.exchanges }),
    async estimate(items, signal) {
      try {
        const res = await http.request({
          method: 'POST',
          path: FEES_PATH,
          json: feesRequestBody(items),
          signal,
        });
        return outcomes(items, res.json());
      } catch (err) {
        if (!isSpApiAuthFailure(err) || !isHttpClientError(err)) throw withReason(err);
        const why = spApiErrorText(err.responseText);
        throw new AppError(
          'forbidden',
          `SP-API refused the fee request (HTTP ${err.status}${why ? `: ${why}` : ''}); check that the ` +
            'app has the Pricing role and that SP_API_REGION matches the seller account',
          { api: 'spapi', status: err.status },
        );
      }
    },
  };
}
