import type { Redis } from 'ioredis';
import { allMarketplaces, type Served, spApiMarketplaces } from '../../platform/amazon/marketplaces.ts';
import { createSpApi, missingSpApiCredentials } from '../../platform/amazon/spapi.ts';
import type { Config } from '../../platform/config.ts';
import { createHttpClient } from '../../platform/http/client.ts';
import { type ClientTuning, clientBase } from '../../platform/http/tuning.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Metrics } from '../../platform/metrics.ts';
import type { FeeSource } from './estimate.ts';
import { createHelium10Source, HELIUM10_CONCURRENCY } from './helium10.client.ts';
import { createSpApiSource } from './spapi.client.ts';

/** Knobs for tests and the bench: virtual time and a scaled rate instead of real 2-second waits. */
export interface HttpTuning extends ClientTuning {
  /** SP-API getMyFeesEstimates usage plan; default 0.5 requests/s, burst 1. */
  spApiRatePerSecond?: number;
  spApiBurst?: number;
}

export interface SourceEnv {
  redis?: Redis;
  metrics?: Metrics;
  log?: Logger;
  tuning?: HttpTuning;
}

export interface ConfiguredSource {
  source: FeeSource;
  marketplaces: Served[];
}

export function sourceKind(config: Config): 'sp_api' | 'helium10' | undefined {
  if (missingSpApiCredentials(config).length === 0) return 'sp_api';
  if (config.HELIUM10_KEY) return 'helium10';
  return undefined;
}

/** The fee source the configuration asks for (SP-API first), or undefined when none is configured. */
export function createFeeSource(config: Config, env: SourceEnv = {}): ConfiguredSource | undefined {
  const t = env.tuning ?? {};
  const common = clientBase(t, env);
  const kind = sourceKind(config);
  if (kind === 'sp_api') {
    const spApi = createSpApi(config, env);
    // getMyFeesEstimates' usage plan: 0.5 requests/s, burst 1
    const http = spApi.operation('fees', {
      ratePerSecond: t.spApiRatePerSecond ?? 0.5,
      burst: t.spApiBurst ?? 1,
    });
    return { source: createSpApiSource(http, spApi.lwa), marketplaces: spApiMarketplaces(config) };
  }
  if (kind === 'helium10') {
    const http = createHttpClient({
      ...common,
      api: 'helium10',
      baseUrl: config.HELIUM10_BASE_URL,
      concurrency: HELIUM10_CONCURRENCY,
      headers: { authorization: `Bearer ${config.HELIUM10_KEY}` },
    });
    return { source: createHelium10Source(http), marketplaces: allMarketplaces(config) };
  }
  return undefined;
}
