import { chmodSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { freePort } from '../helpers/net.ts';
import {
  type Awa,
  baseEnv,
  isAlive,
  killAll,
  killPostmaster,
  postmasterPid,
  removeDir,
  runCli,
  startAwa,
  tempDataDir,
} from '../helpers/proc.ts';

// As root the embedded server runs as the `postgres` OS user, which cannot enter a 0700 folder
// owned by root: AWA must say so (naming AWA_DATA_DIR) instead of failing obscurely. As any other
// user the server runs as that user, so the same layout just works.
let parent: string | undefined;
let dataDir: string | undefined;
let awa: Awa | undefined;

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && awa) console.error(awa.output());
});

afterAll(async () => {
  await killAll();
  if (dataDir) await killPostmaster(dataDir);
  removeDir(parent);
});

it('a data dir inside a 0700 folder: refused clearly as root, works otherwise', async () => {
  parent = tempDataDir();
  chmodSync(parent, 0o700);
  dataDir = path.join(parent, 'sub');
  const env = baseEnv({
    AWA_DATA_DIR: dataDir,
    PORT: String(await freePort()),
    EMBEDDED_PG_PORT: String(await freePort()),
  });
  if (process.getuid?.() === 0) {
    const r = await runCli(['start'], env, { timeoutMs: 60_000 });
    expect(r.timedOut).toBe(false);
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.stderr).toMatch(/postgres/);
    expect(r.stderr).toContain('AWA_DATA_DIR');
    expect(r.stderr).toContain(dataDir);
    // nothing half-made is left behind: no cluster, no lock, no server
    expect(existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'awa.pid'))).toBe(false);
    expect(postmasterPid(dataDir)).toBeUndefined();
  } else {
    awa = startAwa([], env);
    await awa.waitReady(90_000);
    const health = await fetch(`${awa.url}/health`);
    expect(health.status).toBe(200);
    const pm = postmasterPid(dataDir);
    expect(pm).toBeDefined();
    expect(await awa.stop()).toBe(0);
    expect(isAlive(pm!)).toBe(false);
  }
}, 120_000);
