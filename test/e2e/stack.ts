import { freePort } from '../helpers/net.ts';
import { type Awa, baseEnv, parseOneJson, runCli, startAwa } from '../helpers/proc.ts';

export interface DemoStack {
  awa: Awa;
  url: string;
  /** The demo admin `awa demo` created and printed. */
  login: { email: string; password: string };
  env: Record<string, string>;
}

/**
 * The product as a seller first meets it: `awa demo` loads the demo business, then `awa start` serves
 * the API and the built web app from a child process. Used by the end-to-end test, the screenshots
 * and the web benchmark.
 */
export async function startDemoStack(opts: {
  databaseUrl?: string;
  dataDir: string;
  /** More environment for `awa start` (e.g. SMTP_URL of a fake mail server). */
  env?: Record<string, string>;
}): Promise<DemoStack> {
  // without a database URL, AWA's own embedded server under dataDir (as `npm run demo` runs it)
  const db: Record<string, string> = opts.databaseUrl
    ? { DATABASE_URL: opts.databaseUrl }
    : { EMBEDDED_PG_PORT: String(await freePort()) };
  const env = baseEnv({ ...db, AWA_DATA_DIR: opts.dataDir, PORT: '0' });
  const demo = await runCli(['demo', '--json'], env, { timeoutMs: 180_000 });
  if (demo.code !== 0) throw new Error(`awa demo failed (${demo.code})\n${demo.stdout}\n${demo.stderr}`);
  const summary = parseOneJson(demo.stdout) as { login?: { email: string; password: string } };
  if (!summary.login?.password) throw new Error(`awa demo --json printed no login:\n${demo.stdout}`);
  const port = await freePort();
  const startEnv = { ...env, ...opts.env, PORT: String(port), AWA_ROLES: 'api,worker' };
  const awa = startAwa(['start'], startEnv);
  await awa.waitReady(90_000);
  return { awa, url: awa.url, login: summary.login, env: startEnv };
}
