import type { JobContext } from './types.ts';

/**
 * A job's third-party API clients live as long as the job definition (one per process), so an LWA
 * access token and a token bucket carry over between runs; they are built anew only when the deps
 * they were built from change (another config, Redis or metrics registry, as in tests).
 */
export function perProcess<T>(create: (ctx: JobContext) => T): (ctx: JobContext) => T {
  let cached: { deps: readonly unknown[]; value: T } | undefined;
  return (ctx) => {
    const deps = [ctx.deps.config, ctx.deps.redis, ctx.metrics];
    if (!cached || deps.some((d, i) => d !== cached!.deps[i])) cached = { deps, value: create(ctx) };
    return cached.value;
  };
}
