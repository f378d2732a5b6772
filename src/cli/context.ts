import type { Config } from '../platform/config.ts';
import type { Runtime } from '../runtime.ts';

// Config (zod, croner), the logger (pino) and the runtime (database, storage) are imported when a
// command runs, not when the CLI starts: `awa --help` and the usage errors need none of them.

/** Loads config (with command-line overrides winning over the environment). */
export async function configWith(overrides: Record<string, string | undefined> = {}): Promise<Config> {
  const { loadConfig, readEnv } = await import('../platform/config.ts');
  const env = readEnv();
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) env[k] = v;
  return loadConfig(env);
}

/**
 * Gives a command the runtime whether or not `awa start` is running: it joins a running embedded
 * server, or starts one for the duration of the command. Logs go to stderr (stdout is the output).
 */
export async function withRuntime<T>(
  fn: (rt: Runtime) => Promise<T>,
  opts: { migrate?: boolean } = {},
): Promise<T> {
  const config = await configWith();
  const [{ createLogger }, { openRuntime }] = await Promise.all([
    import('../platform/logger.ts'),
    import('../runtime.ts'),
  ]);
  const log = createLogger({ level: config.CLI_LOG_LEVEL, role: 'cli', fd: 2, pretty: config.LOG_PRETTY });
  const rt = await openRuntime(config, log, opts);
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}
