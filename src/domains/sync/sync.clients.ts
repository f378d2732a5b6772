import path from 'node:path';
import type { Redis } from 'ioredis';
import { createSpApi, missingSpApiCredentials } from '../../platform/amazon/spapi.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/pool.ts';
import { realSleep } from '../../platform/http/retry.ts';
import type { ClientTuning } from '../../platform/http/tuning.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Metrics } from '../../platform/metrics.ts';
import { ingestDeps } from '../reports/ingest.deps.ts';
import { createReportsClient } from './reports.client.ts';
import { createSellersClient } from './sellers.client.ts';
import type { SyncClients, SyncDeps } from './sync.types.ts';

/** Knobs for tests and the bench: virtual time, scaled usage plans, shorter polling. */
export interface SyncTuning extends ClientTuning {
  /** Multiplies every usage plan's rate (1 in production: Amazon's published plans). */
  rateScale?: number;
  pollIntervalMs?: number;
  maxPollMs?: number;
}

/** The reason the agent cannot run, or undefined when SP-API is configured. */
export function notConfigured(config: Config): string | undefined {
  const missing = missingSpApiCredentials(config);
  return missing.length ? `SP-API is not configured (set ${missing.join(', ')})` : undefined;
}

export function createSyncClients(
  config: Config,
  env: { redis?: Redis; metrics?: Metrics; log?: Logger; tuning?: SyncTuning } = {},
): SyncClients {
  const spApi = createSpApi(config, env);
  const scale = env.tuning?.rateScale ?? 1;
  return {
    reports: createReportsClient(spApi, scale),
    sellers: createSellersClient(spApi, config, scale),
    documents: spApi.documents('documents'),
  };
}

/** The service's dependencies from a runtime or a job's deps and the process's clients. */
export function syncDeps(
  rt: { db: Db; config: Config; clock: Clock; log: Logger },
  clients: SyncClients,
  tuning: SyncTuning = {},
  signal?: AbortSignal,
): SyncDeps {
  return {
    ...clients,
    db: rt.db,
    config: rt.config,
    clock: rt.clock,
    log: rt.log,
    sleep: tuning.sleep ?? realSleep,
    ingest: ingestDeps(rt),
    workDir: path.join(rt.config.dataDir, 'sync'),
    // Amazon generates most reports within minutes; a run waits 20 minutes at most, then leaves
    // the report outstanding for the next run (every 15 minutes) to resume
    pollIntervalMs: tuning.pollIntervalMs ?? 15_000,
    maxPollMs: tuning.maxPollMs ?? 20 * 60_000,
    retryAfterMs: 30 * 60_000,
    signal,
    errors: [],
  };
}
