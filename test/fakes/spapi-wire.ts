/** Product Fees v0 wire format (productFeesV0.json), as the SP-API fake speaks it. */

export interface FeeLine {
  FeeType: string;
  Amount: number;
}

export interface EstimateInput {
  asin: string;
  marketplaceId: string;
  price: number;
  currency: string;
  amazonFulfilled: boolean;
}

export interface Money {
  CurrencyCode: string;
  Amount: number;
}

/** The documented request item (productFeesV0.json FeesEstimateByIdRequest). */
export interface FeesEstimateByIdRequest {
  IdType: string;
  IdValue: string;
  FeesEstimateRequest: {
    MarketplaceId: string;
    IsAmazonFulfilled?: boolean;
    PriceToEstimateFees: { ListingPrice: Money; Shipping?: Money };
    Identifier: string;
  };
}

export interface ItemError {
  Code: string;
  Message: string;
  Type?: string;
}

export function feeInput(it: FeesEstimateByIdRequest): EstimateInput {
  const r = it.FeesEstimateRequest;
  const price = r.PriceToEstimateFees.ListingPrice;
  return {
    asin: it.IdValue,
    marketplaceId: r.MarketplaceId,
    price: price.Amount,
    currency: price.CurrencyCode,
    amazonFulfilled: r.IsAmazonFulfilled === true,
  };
}

/** 15 % referral with sub-cent precision (so rounding shows), FBA 3.27, zero closing fees. */
export function defaultFees(i: EstimateInput): FeeLine[] {
  return [
    { FeeType: 'ReferralFee', Amount: Math.round(i.price * 0.15 * 10_000) / 10_000 },
    { FeeType: 'VariableClosingFee', Amount: 0 },
    { FeeType: 'PerItemFee', Amount: 0 },
    { FeeType: 'FBAFees', Amount: i.amazonFulfilled ? 3.27 : 0 },
  ];
}

/** The FeesEstimateResult for one request item: the estimate, or a per-item ClientError. */
export function estimateResult(
  it: FeesEstimateByIdRequest,
  answer: { error: ItemError } | { lines: FeeLine[] },
  now: number,
) {
  const r = it.FeesEstimateRequest;
  const price = r.PriceToEstimateFees.ListingPrice;
  const identifier = {
    MarketplaceId: r.MarketplaceId,
    IdType: it.IdType,
    SellerId: 'AFAKESELLER',
    SellerInputIdentifier: r.Identifier,
    IsAmazonFulfilled: r.IsAmazonFulfilled ?? false,
    IdValue: it.IdValue,
    PriceToEstimateFees: r.PriceToEstimateFees,
  };
  if ('error' in answer) {
    const err = answer.error;
    return {
      Status: 'ClientError',
      FeesEstimateIdentifier: identifier,
      Error: { Type: err.Type ?? 'Sender', Code: err.Code, Message: err.Message, Detail: [] },
    };
  }
  const lines = answer.lines;
  const money = (Amount: number) => ({ CurrencyCode: price.CurrencyCode, Amount });
  return {
    Status: 'Success',
    FeesEstimateIdentifier: identifier,
    FeesEstimate: {
      TimeOfFeesEstimation: new Date(now).toUTCString(),
      TotalFeesEstimate: money(lines.reduce((s, l) => s + l.Amount, 0)),
      FeeDetailList: lines.map((l) => ({
        FeeType: l.FeeType,
        FeeAmount: money(l.Amount),
        FeePromotion: money(0),
        FinalFee: money(l.Amount),
        ...(l.FeeType === 'FBAFees'
          ? {
              IncludedFeeDetailList: [
                {
                  FeeType: 'FBAPerUnitFulfillmentFee',
                  FeeAmount: money(l.Amount),
                  FinalFee: money(l.Amount),
                },
              ],
            }
          : {}),
      })),
    },
  };
}
