/**
 * SP-API Sellers v1 getMarketplaceParticipations (GET /sellers/v1/marketplaceParticipations →
 * {payload: [{marketplace: {id, countryCode, name, defaultCurrencyCode, …}, participation:
 * {isParticipating, hasSuspendedListings}}]}): the storefronts the seller's account sells on.
 * Usage plan 0.016 requests/s, burst 15: asked once per process and run, never in a loop.
 */
import { marketplaceCodeOf } from '../../platform/amazon/marketplaces.ts';
import type { SpApi } from '../../platform/amazon/spapi.ts';
import type { Config } from '../../platform/config.ts';
import { AppError } from '../../platform/errors.ts';
import { scaledPlan } from './reports.client.ts';

export const PARTICIPATIONS_PATH = '/sellers/v1/marketplaceParticipations';
export const PARTICIPATIONS_PLAN = { ratePerSecond: 0.016, burst: 15 };

export interface Participation {
  /** AWA's code (DE, UK…). */
  code: string;
  id: string;
  currency?: string;
}

interface Raw {
  marketplace?: { id?: string; countryCode?: string; defaultCurrencyCode?: string };
  participation?: { isParticipating?: boolean; hasSuspendedListings?: boolean };
}

export interface SellersClient {
  /** Participating marketplaces AWA knows; `unknown` lists the ids it does not (they are not synced). */
  participations(): Promise<{ marketplaces: Participation[]; unknown: string[] }>;
  calls(): number;
}

export function createSellersClient(spApi: SpApi, config: Config, scale = 1): SellersClient {
  const http = spApi.operation('getMarketplaceParticipations', scaledPlan(PARTICIPATIONS_PLAN, scale));
  return {
    async participations() {
      const res = await http.request({ path: PARTICIPATIONS_PATH });
      const body = res.json<{ payload?: Raw[] }>();
      if (!Array.isArray(body.payload)) {
        throw new AppError('upstream', 'SP-API getMarketplaceParticipations answered without a payload list');
      }
      const marketplaces: Participation[] = [];
      const unknown: string[] = [];
      for (const p of body.payload) {
        const id = p.marketplace?.id;
        if (!id || p.participation?.isParticipating !== true) continue;
        const code = marketplaceCodeOf(id, config);
        if (!code) unknown.push(id);
        else if (!marketplaces.some((m) => m.code === code))
          marketplaces.push({ code, id, currency: p.marketplace?.defaultCurrencyCode });
      }
      return { marketplaces, unknown };
    },
    calls: () => http.sent,
  };
}
