import { insertProduct, type ProductInput, type Target } from './catalog.ts';
import { type FeesInput, insertBuybox, insertFees } from './market.ts';

export interface ListingInput extends ProductInput {
  /** The fees row; null = none (the offer gets `fees_missing`). Defaults 3.00 + 3.50 + 0.20 EUR. */
  fees?: Omit<FeesInput, 'asin'> | null;
  /** Current buy box price; null = none (`no_buybox`). Defaults to 29.99. */
  buybox?: number | string | null;
}

/**
 * A product as the marketplace sees it: the products row, its fees and a current buy box. Vendor
 * offers for it are added separately with insertVendorPrice.
 */
export async function insertListing(t: Target, l: ListingInput = {}): Promise<{ asin: string }> {
  const { fees, buybox, ...product } = l;
  const { asin } = await insertProduct(t, product);
  if (fees !== null) await insertFees(t, { ...fees, asin });
  if (buybox !== null) await insertBuybox(t, { asin, price: buybox ?? '29.99' });
  return { asin };
}
