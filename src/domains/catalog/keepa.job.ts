import { ASIN_LIST_PAYLOAD, distinctAsins, withPayload } from '../../platform/jobs/index.ts';
import { type KeepaOverrides, keepaDeps } from './keepa.deps.ts';
import { DEFAULT_MAX_RUN_MS, runKeepa } from './keepa.service.ts';

/**
 * The `keepa` agent (SPEC §5): hourly by default (KEEPA_CRON), stale ASINs only. A failed run (Keepa
 * down) is retried later; it picks up where the last one stopped, since whatever was stored is no
 * longer stale.
 */
export function createKeepaJob(overrides: KeepaOverrides = {}) {
  return withPayload(ASIN_LIST_PAYLOAD, {
    name: 'keepa',
    description: 'Refresh products, barcodes, buy box history, sales rank and offer counts from Keepa',
    schedule: (config) => config.KEEPA_CRON,
    retry: { limit: 2, delaySeconds: 300, backoff: true },
    // the run stops starting requests at DEFAULT_MAX_RUN_MS; this leaves room for its last writes
    expireInSeconds: Math.ceil(DEFAULT_MAX_RUN_MS / 1000) + 15 * 60,
    handler: async (ctx) => {
      const s = await runKeepa(keepaDeps(ctx, overrides), {
        runId: ctx.runId,
        dryRun: ctx.dryRun,
        asins: distinctAsins(ctx.data),
        progress: ctx.progress,
      });
      return {
        status: s.status,
        reason: s.reason,
        counts: s.counts,
        result: s.exportKey ? { export_key: s.exportKey } : undefined,
      };
    },
  });
}

export const keepaJob = createKeepaJob();
