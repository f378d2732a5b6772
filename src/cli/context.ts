import { type Config, loadConfig, readEnv } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { openRuntime, type Runtime } from '../runtime.ts';

/** Loads config (with command-line overrides winning over the environment). */
export function configWith(overrides: Record<string, string | undefined> = {}): Config {
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
  const config = configWith();
  const log = createLogger({ level: config.CLI_LOG_LEVEL, role: 'cli', fd: 2, pretty: config.LOG_PRETTY });
  const rt = await openRuntime(config, log, opts);
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}
