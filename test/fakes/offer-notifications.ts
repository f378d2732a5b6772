import { randomUUID } from 'node:crypto';

/**
 * ANY_OFFER_CHANGED notifications as Amazon writes them into the SQS message body (payload version
 * 1.0, PascalCase keys). Defaults: marketplace DE, condition new, buy box 19.50 EUR, 3 new offers
 * (2 FBA, 1 merchant) and one used offer.
 */
export interface OfferNotificationInput {
  asin: string;
  at: Date | string;
  buybox?: number | null;
  currency?: string;
  marketplaceId?: string;
  condition?: string;
  notificationId?: string;
  offersFba?: number;
  offersMerchant?: number;
}

export const DE_MARKETPLACE_ID = 'A1PA6795UKMFR9';

export function offerNotification(i: OfferNotificationInput): Record<string, unknown> {
  const at = new Date(i.at).toISOString();
  const currency = i.currency ?? 'EUR';
  const money = (amount: number) => ({ Amount: amount, CurrencyCode: currency });
  const buybox = i.buybox === undefined ? 19.5 : i.buybox;
  return {
    NotificationVersion: '1.0',
    NotificationType: 'ANY_OFFER_CHANGED',
    PayloadVersion: '1.0',
    EventTime: at,
    Payload: {
      AnyOfferChangedNotification: {
        SellerId: 'A2EXAMPLE1SELLER',
        OfferChangeTrigger: {
          MarketplaceId: i.marketplaceId ?? DE_MARKETPLACE_ID,
          ASIN: i.asin,
          ItemCondition: i.condition ?? 'new',
          TimeOfOfferChange: at,
          OfferChangeType: 'External',
        },
        Summary: {
          NumberOfOffers: [
            { Condition: 'new', FulfillmentChannel: 'Amazon', OfferCount: i.offersFba ?? 2 },
            { Condition: 'new', FulfillmentChannel: 'Merchant', OfferCount: i.offersMerchant ?? 1 },
            { Condition: 'used', FulfillmentChannel: 'Merchant', OfferCount: 1 },
          ],
          LowestPrices: buybox
            ? [
                {
                  Condition: 'new',
                  FulfillmentChannel: 'Amazon',
                  LandedPrice: money(buybox),
                  ListingPrice: money(buybox),
                },
              ]
            : [],
          BuyBoxPrices: buybox
            ? [
                {
                  Condition: 'New',
                  LandedPrice: money(buybox),
                  ListingPrice: money(buybox),
                  Shipping: money(0),
                },
              ]
            : [],
          ListPrice: money(24.99),
          NumberOfBuyBoxEligibleOffers: [{ Condition: 'new', FulfillmentChannel: 'Amazon', OfferCount: 2 }],
        },
        Offers: [
          {
            SellerId: 'A3COMPETITOR',
            SubCondition: 'new',
            ListingPrice: money(buybox ?? 21),
            Shipping: money(0),
            IsFulfilledByAmazon: true,
            IsBuyBoxWinner: true,
            IsFeaturedMerchant: true,
          },
        ],
      },
    },
    NotificationMetadata: {
      ApplicationId: 'amzn1.sellerapps.app.fake',
      SubscriptionId: 'sub-fake',
      PublishTime: at,
      NotificationId: i.notificationId ?? randomUUID(),
    },
  };
}

export const offerNotificationBody = (i: OfferNotificationInput) => JSON.stringify(offerNotification(i));
