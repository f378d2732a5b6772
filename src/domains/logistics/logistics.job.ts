import { createHttpClient } from '../../platform/http/client.ts';
import type { JobDefinition } from '../../platform/jobs/index.ts';
import { roiSettingsFrom } from '../roi/roi.service.ts';
import { loadRateCards } from './logistics.service.ts';

/**
 * The `logistics` agent (SPEC §5): freight rate cards from LOGISTICS_SOURCES into logistics_rates.
 * Without sources it records a skipped run, like the other market-data agents without credentials.
 */
export const logisticsJob: JobDefinition = {
  name: 'logistics',
  description: 'Load freight rate cards (LOGISTICS_SOURCES) into logistics_rates and refresh ROI',
  schedule: (config) => config.LOGISTICS_CRON,
  // a run where every source failed (carrier site down) is worth one later try; each source has retried already
  retry: { limit: 2, delaySeconds: 600, backoff: true },
  expireInSeconds: 3600,
  handler: async (ctx) => {
    const { config, db, store, log } = ctx.deps;
    if (config.LOGISTICS_SOURCES.length === 0) {
      log.info('logistics not configured (LOGISTICS_SOURCES is empty)');
      return { status: 'skipped', reason: 'not_configured' };
    }
    // carrier sites and buckets: generous first-byte and idle timeouts, retries on 429/5xx/network
    const http = createHttpClient({
      api: 'logistics',
      timeoutMs: 60_000,
      retries: 3,
      metrics: ctx.metrics,
      logger: log,
    });
    const summary = await loadRateCards(
      {
        db,
        store,
        storage: config,
        http,
        log,
        maxUncompressedBytes: config.IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES,
        roiSettings: roiSettingsFrom(config),
        clock: ctx.deps.clock,
      },
      { sources: config.LOGISTICS_SOURCES, dryRun: ctx.dryRun, onProgress: (p) => ctx.progress(p) },
    );
    const failed = summary.counts.failed_sources;
    return {
      counts: summary.counts,
      ...(failed > 0 ? { reason: `${failed} of ${summary.counts.sources} sources failed` } : {}),
      result: summary,
    };
  },
};
