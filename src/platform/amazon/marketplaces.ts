import type { Config } from '../config.ts';
import { AppError, invalidField } from '../errors.ts';

export type SpApiRegion = Config['SP_API_REGION'];

export interface MarketplaceInfo {
  /** SP-API marketplace id. */
  id: string;
  region: SpApiRegion;
  /** ISO 4217: what the storefront prices and charges fees in. */
  currency: string;
}

// SP-API "Marketplace IDs" table; AWA's codes are the storefront's (UK, not GB).
const MARKETPLACES: Record<string, MarketplaceInfo> = {
  DE: { id: 'A1PA6795UKMFR9', region: 'eu', currency: 'EUR' },
  FR: { id: 'A13V1IB3VIYZZH', region: 'eu', currency: 'EUR' },
  IT: { id: 'APJ6JRA9NG5V4', region: 'eu', currency: 'EUR' },
  ES: { id: 'A1RKKUPIHCS9HS', region: 'eu', currency: 'EUR' },
  NL: { id: 'A1805IZSGTT6HS', region: 'eu', currency: 'EUR' },
  UK: { id: 'A1F83G8C2ARO7P', region: 'eu', currency: 'GBP' },
  SE: { id: 'A2NODRKZP88ZB9', region: 'eu', currency: 'SEK' },
  PL: { id: 'A1C3SOZRARQ6R3', region: 'eu', currency: 'PLN' },
  US: { id: 'ATVPDKIKX0DER', region: 'na', currency: 'USD' },
  CA: { id: 'A2EUQ1WTGCTBG2', region: 'na', currency: 'CAD' },
  MX: { id: 'A1AM78C64UM0Y8', region: 'na', currency: 'MXN' },
};

const ENDPOINTS: Record<SpApiRegion, string> = {
  na: 'https://sellingpartnerapi-na.amazon.com',
  eu: 'https://sellingpartnerapi-eu.amazon.com',
  fe: 'https://sellingpartnerapi-fe.amazon.com',
};

export function spApiBaseUrl(config: Config): string {
  return config.SP_API_BASE_URL ?? ENDPOINTS[config.SP_API_REGION];
}

const CODE = /^[A-Z]{2}$/;

/**
 * A marketplace the user names (a flag, a form field): two letters, any case, upper-cased. The
 * error names `field` and the value, so the CLI shows its flag and the API its field.
 */
export function marketplaceCodeInput(value: string, field = 'marketplace'): string {
  const code = value.trim().toUpperCase();
  if (!CODE.test(code)) {
    throw invalidField(
      field,
      value,
      'marketplace_code',
      `must be a 2-letter code such as DE (got "${value}")`,
    );
  }
  return code;
}

/** A marketplace's currency: the table's, else AWA_CURRENCY for the default marketplace. */
export function currencyOf(code: string, config: Config): string | undefined {
  return MARKETPLACES[code]?.currency ?? (code === config.AWA_MARKETPLACE ? config.AWA_CURRENCY : undefined);
}

export interface Served {
  code: string;
  id: string;
  currency: string;
}

/**
 * The marketplaces one SP-API seller authorisation can price: every storefront of the configured
 * region (one refresh token covers a region's unified account), the default one under
 * SP_API_MARKETPLACE_ID when that is set (a storefront missing from the table above).
 */
export function spApiMarketplaces(config: Config): Served[] {
  const own = config.AWA_MARKETPLACE;
  const ownId = config.SP_API_MARKETPLACE_ID ?? MARKETPLACES[own]?.id;
  if (!ownId) {
    throw new AppError(
      'config',
      `SP_API_MARKETPLACE_ID: required for AWA_MARKETPLACE=${own} (no known SP-API marketplace id)`,
    );
  }
  const out: Served[] = [{ code: own, id: ownId, currency: currencyOf(own, config) ?? config.AWA_CURRENCY }];
  for (const [code, m] of Object.entries(MARKETPLACES)) {
    if (code !== own && m.region === config.SP_API_REGION && m.id !== ownId) {
      out.push({ code, id: m.id, currency: m.currency });
    }
  }
  return out;
}

/** Helium10 is asked per ASIN and marketplace code, so any storefront with a known currency will do. */
export function allMarketplaces(config: Config): Served[] {
  const own = config.AWA_MARKETPLACE;
  const out: Served[] = [{ code: own, id: own, currency: currencyOf(own, config) ?? config.AWA_CURRENCY }];
  for (const [code, m] of Object.entries(MARKETPLACES)) {
    if (code !== own) out.push({ code, id: code, currency: m.currency });
  }
  return out;
}

/**
 * AWA's code of an SP-API marketplace id (notifications name the marketplace by id): the default
 * marketplace under SP_API_MARKETPLACE_ID when set, else the table's; undefined for one AWA does not know.
 */
export function marketplaceCodeOf(id: string, config: Config): string | undefined {
  if (config.SP_API_MARKETPLACE_ID && id === config.SP_API_MARKETPLACE_ID) return config.AWA_MARKETPLACE;
  return Object.entries(MARKETPLACES).find(([, m]) => m.id === id)?.[0];
}
