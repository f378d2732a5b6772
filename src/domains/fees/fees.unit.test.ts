import { describe, expect, it } from 'vitest';
import { spApiBaseUrl, spApiMarketplaces } from '../../platform/amazon/marketplaces.ts';
import { loadConfig } from '../../platform/config.ts';
import { cents, roundHalfUp, sum, toRatio } from '../../platform/money.ts';
import type { FeeRequestItem } from './estimate.ts';
import { helium10Breakdown } from './helium10.client.ts';
import { breakdown, feesRequestBody, outcomes } from './spapi.client.ts';

describe('money', () => {
  it('rounds half away from zero at cents from the decimal text, never the binary double', () => {
    const cases: Array<[unknown, string | null]> = [
      [1.005, '1.01'],
      [2.675, '2.68'],
      [1.004999, '1.00'],
      [0.125, '0.13'],
      [-0.005, '-0.01'],
      [-1.004, '-1.00'],
      [-0.001, '0.00'],
      [3, '3.00'],
      [1e-7, '0.00'],
      [1.5e3, '1500.00'],
      ['12.345', '12.35'],
      [' 7.5 ', '7.50'],
      ['', null],
      [null, null],
      [Number.NaN, null],
      ['1,50', null],
      [{}, null],
    ];
    for (const [input, expected] of cases) expect([input, cents(input)]).toEqual([input, expected]);
  });

  it('sums exactly before rounding once', () => {
    // 0.1 + 0.2 as doubles is 0.30000000000000004; three times 0.335 as doubles rounds to 1.00
    expect(roundHalfUp(sum([toRatio(0.1)!, toRatio(0.2)!])!)).toBe('0.30');
    expect(roundHalfUp(sum([toRatio(0.335)!, toRatio(0.335)!, toRatio(0.335)!])!)).toBe('1.01');
    expect(sum([])).toBeUndefined();
    expect(roundHalfUp(toRatio('2.5')!, 0)).toBe('3');
  });
});

const item = (key: string, asin = 'B000000001'): FeeRequestItem => ({
  key,
  marketplace: 'DE',
  marketplaceId: 'A1PA6795UKMFR9',
  asin,
  price: '19.99',
  currency: 'EUR',
  amazonFulfilled: true,
});
const money = (Amount: number, CurrencyCode = 'EUR') => ({ CurrencyCode, Amount });

describe('SP-API getMyFeesEstimates wire format', () => {
  it('builds FeesEstimateByIdRequest items with our key as Identifier', () => {
    expect(feesRequestBody([item('DE:B000000001')])).toEqual([
      {
        IdType: 'ASIN',
        IdValue: 'B000000001',
        FeesEstimateRequest: {
          MarketplaceId: 'A1PA6795UKMFR9',
          IsAmazonFulfilled: true,
          PriceToEstimateFees: { ListingPrice: { CurrencyCode: 'EUR', Amount: 19.99 } },
          Identifier: 'DE:B000000001',
        },
      },
    ]);
  });

  it('sorts fee types into columns, counting FBAFees once (not its IncludedFeeDetailList)', () => {
    const r = breakdown(
      {
        Status: 'Success',
        FeesEstimate: {
          TotalFeesEstimate: money(6.5),
          FeeDetailList: [
            { FeeType: 'ReferralFee', FeeAmount: money(3.2), FinalFee: money(3.0) },
            {
              FeeType: 'FBAFees',
              FeeAmount: money(3.27),
              FinalFee: money(3.27),
              IncludedFeeDetailList: [{ FeeType: 'FBAPerUnitFulfillmentFee', FinalFee: money(3.27) }],
            } as never,
            { FeeType: 'VariableClosingFee', FeeAmount: money(0.2) },
            { FeeType: 'PerItemFee', FinalFee: money(0.03) },
          ],
        },
      },
      'EUR',
    );
    expect(r).toEqual({
      referral: '3.00',
      fulfilment: '3.27',
      storage: null,
      other: '0.23',
      currency: 'EUR',
    });
  });

  it('refuses estimates it cannot read', () => {
    expect(breakdown({ Status: 'Success', FeesEstimate: { FeeDetailList: [] } }, 'EUR')).toBe(
      'the estimate has no FeeDetailList',
    );
    expect(
      breakdown(
        {
          FeesEstimate: {
            FeeDetailList: [
              { FeeType: 'ReferralFee', FinalFee: money(1, 'EUR') },
              { FeeType: 'FBAFees', FinalFee: money(1, 'GBP') },
            ],
          },
        },
        'EUR',
      ),
    ).toBe('fees in several currencies (EUR, GBP)');
    expect(breakdown({ FeesEstimate: { FeeDetailList: [{ FeeType: 'ReferralFee' }] } }, 'EUR')).toMatch(
      /^unreadable fee detail/,
    );
  });

  it('matches results to requests by identifier, whatever their order, and reports the missing', () => {
    const ok = (key: string) => ({
      Status: 'Success',
      FeesEstimateIdentifier: { SellerInputIdentifier: key },
      FeesEstimate: { FeeDetailList: [{ FeeType: 'ReferralFee', FinalFee: money(1) }] },
    });
    const out = outcomes(
      [item('a'), item('b'), item('c')],
      [
        {
          Status: 'ServiceError',
          FeesEstimateIdentifier: { SellerInputIdentifier: 'c' },
          Error: { Type: 'Receiver', Code: 'InternalError', Message: 'Try again' },
        },
        ok('a'),
      ],
    );
    expect(out).toEqual([
      {
        key: 'a',
        ok: true,
        fees: { referral: '1.00', fulfilment: null, storage: null, other: null, currency: 'EUR' },
      },
      { key: 'b', ok: false, code: 'MissingResult', message: 'no result for this item in the response' },
      { key: 'c', ok: false, code: 'InternalError', message: 'Try again' },
    ]);
    expect(() => outcomes([item('a')], { payload: [] })).toThrow(/something other than a list/);
  });
});

describe('Helium10 answer', () => {
  it('reads the seed contract, rounding half-up', () => {
    expect(
      helium10Breakdown(
        { referralFee: 2.005, fulfillmentFee: 3.1, storageFee: 0.125, currency: 'GBP' },
        'EUR',
      ),
    ).toEqual({
      referral: '2.01',
      fulfilment: '3.10',
      storage: '0.13',
      other: null,
      currency: 'GBP',
    });
    expect(helium10Breakdown({ data: { fulfillmentFee: '1.5' } }, 'EUR')).toMatchObject({
      fulfilment: '1.50',
      currency: 'EUR',
    });
    expect(helium10Breakdown({ storageFee: 1 }, 'EUR')).toBe(
      'no referralFee or fulfillmentFee in the answer',
    );
    expect(helium10Breakdown([1], 'EUR')).toBe('the answer is not a JSON object');
  });
});

describe('marketplaces', () => {
  it('prices every storefront of the region, the default one first', () => {
    const eu = spApiMarketplaces(loadConfig({ AWA_MARKETPLACE: 'UK', AWA_CURRENCY: 'GBP' }));
    expect(eu[0]).toEqual({ code: 'UK', id: 'A1F83G8C2ARO7P', currency: 'GBP' });
    expect(eu.map((m) => m.code).sort()).toEqual(['DE', 'ES', 'FR', 'IT', 'NL', 'PL', 'SE', 'UK']);
    const na = loadConfig({ AWA_MARKETPLACE: 'US', AWA_CURRENCY: 'USD', SP_API_REGION: 'na' });
    expect(spApiMarketplaces(na).map((m) => m.id)).toEqual([
      'ATVPDKIKX0DER',
      'A2EUQ1WTGCTBG2',
      'A1AM78C64UM0Y8',
    ]);
    expect(spApiBaseUrl(na)).toBe('https://sellingpartnerapi-na.amazon.com');
    expect(spApiBaseUrl(loadConfig({ SP_API_REGION: 'fe' }))).toBe('https://sellingpartnerapi-fe.amazon.com');
    expect(spApiBaseUrl(loadConfig({ SP_API_BASE_URL: 'http://127.0.0.1:1' }))).toBe('http://127.0.0.1:1');
  });

  it('needs SP_API_MARKETPLACE_ID for a storefront it does not know', () => {
    expect(() => spApiMarketplaces(loadConfig({ AWA_MARKETPLACE: 'BE' }))).toThrow(
      /SP_API_MARKETPLACE_ID: required for AWA_MARKETPLACE=BE/,
    );
    const be = spApiMarketplaces(
      loadConfig({ AWA_MARKETPLACE: 'BE', SP_API_MARKETPLACE_ID: 'AMEN7PMS3EDWL' }),
    );
    expect(be[0]).toEqual({ code: 'BE', id: 'AMEN7PMS3EDWL', currency: 'EUR' });
  });
});
