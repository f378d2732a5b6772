/**
 * Where a seller checks an ASIN outside AWA: the Amazon product page and Keepa, for the marketplace
 * the figures are for. Keepa numbers its Amazon domains (its API's `domain` parameter).
 */
const MARKETPLACES: Record<string, { amazon: string; keepa: number | null }> = {
  US: { amazon: 'amazon.com', keepa: 1 },
  UK: { amazon: 'amazon.co.uk', keepa: 2 },
  GB: { amazon: 'amazon.co.uk', keepa: 2 },
  DE: { amazon: 'amazon.de', keepa: 3 },
  FR: { amazon: 'amazon.fr', keepa: 4 },
  JP: { amazon: 'amazon.co.jp', keepa: 5 },
  CA: { amazon: 'amazon.ca', keepa: 6 },
  IT: { amazon: 'amazon.it', keepa: 8 },
  ES: { amazon: 'amazon.es', keepa: 9 },
  IN: { amazon: 'amazon.in', keepa: 10 },
  MX: { amazon: 'amazon.com.mx', keepa: 11 },
  BR: { amazon: 'amazon.com.br', keepa: 12 },
  NL: { amazon: 'amazon.nl', keepa: null },
  SE: { amazon: 'amazon.se', keepa: null },
  PL: { amazon: 'amazon.pl', keepa: null },
  BE: { amazon: 'amazon.com.be', keepa: null },
  AU: { amazon: 'amazon.com.au', keepa: null },
};

export function amazonUrl(asin: string, marketplace: string | null | undefined): string | null {
  const m = MARKETPLACES[(marketplace ?? '').toUpperCase()];
  return m ? `https://www.${m.amazon}/dp/${encodeURIComponent(asin)}` : null;
}

export function keepaUrl(asin: string, marketplace: string | null | undefined): string | null {
  const m = MARKETPLACES[(marketplace ?? '').toUpperCase()];
  return m?.keepa ? `https://keepa.com/#!product/${m.keepa}-${encodeURIComponent(asin)}` : null;
}

export function amazonDomain(marketplace: string | null | undefined): string | null {
  return MARKETPLACES[(marketplace ?? '').toUpperCase()]?.amazon ?? null;
}
