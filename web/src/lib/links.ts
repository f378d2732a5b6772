/** Addresses of pages other pages link to (built by their own helpers; one place to change them). */
export function skuHref(asin: string): string {
  return `/sku/${encodeURIComponent(asin)}`;
}
