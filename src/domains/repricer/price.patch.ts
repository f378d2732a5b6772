/**
 * The Listings Items JSON patch that sets a price (SP-API `purchasable_offer`): sent alone by
 * patchListingsItem and as each message of a JSON_LISTINGS_FEED.
 */
export function patchBody(marketplaceId: string, currency: string, price: string) {
  return {
    // offer-only updates use the generic product type
    productType: 'PRODUCT',
    patches: [
      {
        op: 'replace',
        path: '/attributes/purchasable_offer',
        value: [
          {
            marketplace_id: marketplaceId,
            currency,
            our_price: [{ schedule: [{ value_with_tax: Number(price) }] }],
          },
        ],
      },
    ],
  };
}
