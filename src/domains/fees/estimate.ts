/** What the fee sources take and give back, independent of any API's wire format. */

export interface FeeRequestItem {
  /** Unique within one call; echoed by the API so answers match requests whatever their order. */
  key: string;
  /** AWA marketplace code (`DE`) and the API's id for it (SP-API `A1PA6795UKMFR9`). */
  marketplace: string;
  marketplaceId: string;
  asin: string;
  /** Decimal string, the price the fees are estimated at. */
  price: string;
  currency: string;
  amazonFulfilled: boolean;
}

/** Per-unit fees rounded half-up to cents; null = not given by the source. */
export interface FeeBreakdown {
  referral: string | null;
  fulfilment: string | null;
  storage: string | null;
  other: string | null;
  currency: string;
}

export type ItemOutcome =
  | { key: string; ok: true; fees: FeeBreakdown }
  | { key: string; ok: false; code: string; message: string };

export interface FeeSource {
  readonly name: 'sp_api' | 'helium10';
  /** Items per call (SP-API getMyFeesEstimates takes 20; Helium10 one ASIN per call). */
  readonly batchSize: number;
  /** Calls in flight at once. */
  readonly concurrency: number;
  /**
   * Estimates one batch: one outcome per item, in request order. Per-item problems come back as
   * failed outcomes; a failure of the whole
   * call throws (an HttpClientError after the client's retries, or an AppError for bad credentials).
   */
  estimate(items: FeeRequestItem[], signal?: AbortSignal): Promise<ItemOutcome[]>;
  /** Calls made so far and token exchanges, for the run result. */
  stats(): { calls: number; token_exchanges?: number };
}

export const failed = (key: string, code: string, message: string): ItemOutcome => ({
  key,
  ok: false,
  code,
  message,
});
