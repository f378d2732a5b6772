/**
 * Flag codes (an input we lack, so we do not guess) → the seller's words from the UI guide. Unknown
 * codes still show, with their underscores turned to spaces, so a new server flag is never hidden.
 */
export const FLAG_WORDS: Record<string, string> = {
  no_buybox: 'no buy box',
  no_buy_box: 'no buy box',
  fees_missing: 'fees missing',
  fees_partial: 'fees partial',
  weight_missing: 'weight missing',
  freight_missing: 'freight missing',
  fx_missing: 'FX missing',
  price_list_stale: 'price list stale',
  match_by_ean: 'match by EAN',
  several_asins: 'several ASINs',
};

/** Why each flag is raised, for the chip's tooltip. */
export const FLAG_REASONS: Record<string, string> = {
  no_buybox: 'No buy box price seen in the last 90 days, so there is no selling price to compute with.',
  fees_missing: 'No Amazon fee estimate for this ASIN yet.',
  fees_partial: 'Only part of the Amazon fees are known (referral or fulfilment fee missing).',
  weight_missing: 'The product weight is unknown, so freight cannot be computed.',
  freight_missing: 'No freight rate covers this lane and weight.',
  fx_missing: 'No exchange rate to convert one of the currencies involved.',
  price_list_stale: 'The vendor price list is old; its costs may have changed.',
  match_by_ean: 'The ASIN was found through the EAN, not given by the vendor.',
  several_asins: 'The EAN matches several ASINs.',
};

/** Flags the ROI filter accepts (the server's list). */
export const ROI_FLAGS = [
  'no_buybox',
  'fees_missing',
  'fees_partial',
  'weight_missing',
  'freight_missing',
  'fx_missing',
] as const;
export type RoiFlag = (typeof ROI_FLAGS)[number];

export function flagWords(code: string, ean?: string | null): string {
  const words = FLAG_WORDS[code] ?? code.replace(/_/g, ' ');
  return code === 'match_by_ean' && ean ? `${words} ${ean}` : words;
}
