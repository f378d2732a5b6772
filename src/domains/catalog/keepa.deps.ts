import { AppError } from '../../platform/errors.ts';
import {
  createHttpClient,
  type HttpClientOptions,
  realSleep,
  type Sleep,
} from '../../platform/http/client.ts';
import type { JobContext } from '../../platform/jobs/index.ts';
import { evaluateAfter } from '../decisions/engine.service.ts';
import { roiSettingsFrom, updateRoi } from '../roi/roi.service.ts';
import { KEEPA_DOMAINS, KeepaApi } from './keepa.client.ts';
import type { KeepaDeps } from './keepa.service.ts';

/** Seams for tests and benches: virtual time, shorter timeouts, a run time limit. */
export interface KeepaOverrides {
  sleep?: Sleep;
  http?: Partial<HttpClientOptions>;
  maxRunMs?: number;
}

/** The Keepa agent's dependencies from a job context: the one place config is wired in. */
export function keepaDeps(ctx: JobContext, o: KeepaOverrides = {}): KeepaDeps {
  const { config, db, store, clock, redis } = ctx.deps;
  const key = config.KEEPA_KEY;
  const domain = KEEPA_DOMAINS[config.AWA_MARKETPLACE];
  // only a configured agent needs a marketplace Keepa covers; an unconfigured one just skips
  if (key && !domain) {
    throw new AppError(
      'config',
      `Keepa does not cover marketplace ${config.AWA_MARKETPLACE} (AWA_MARKETPLACE); ` +
        `it covers ${Object.keys(KEEPA_DOMAINS).join(', ')}`,
    );
  }
  const sleep = o.sleep ?? realSleep;
  const http =
    key && domain
      ? createHttpClient({
          api: 'keepa',
          baseUrl: config.KEEPA_BASE_URL,
          // 100 products with their full history take Keepa a while to assemble
          timeoutMs: 60_000,
          retries: 3,
          // one request at a time: each answer's token balance decides the next request
          concurrency: 1,
          // Keepa sells tokens, not requests (the budget paces us); this cap, shared in Redis across
          // workers, only stops a bug from hammering the API. A real 100-ASIN answer takes seconds.
          ratePerSecond: 20,
          burst: 20,
          redis,
          metrics: ctx.metrics,
          logger: ctx.log,
          clock,
          sleep,
          ...o.http,
        })
      : undefined;
  return {
    db,
    store,
    clock,
    log: ctx.log,
    sleep,
    api: http && key && domain ? new KeepaApi(http, key, domain.id, () => clock.now().getTime()) : undefined,
    marketplace: config.AWA_MARKETPLACE,
    currency: domain?.currency ?? config.AWA_CURRENCY,
    minorDigits: domain?.minorDigits ?? 2,
    staleHours: config.KEEPA_STALE_HOURS,
    maxRunMs: o.maxRunMs,
    afterChange: async () => {
      await updateRoi(db, { settings: roiSettingsFrom(config), reason: 'keepa', clock });
      await evaluateAfter({ db, clock, log: ctx.log }, 'market');
    },
  };
}
