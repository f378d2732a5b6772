import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { baseEnv, type Env, killAll, removeDir, runCli, tempDataDir } from '../helpers/proc.ts';

// `awa --help` starts in a fraction of a second because src/cli imports each command's domain,
// database and server code inside its action, not at the top of the file. A static import there
// would quietly bring back the whole application at every start; these tests catch it by listing
// the modules the process really loads (a module loader hook preloaded through NODE_OPTIONS).
let testDb: TestDatabase;
let dir: string;
let env: Env;

beforeAll(async () => {
  testDb = await createTestDatabase();
  dir = tempDataDir();
  env = baseEnv({ DATABASE_URL: testDb.url, AWA_DATA_DIR: dir });
});

afterEach(async () => {
  await killAll();
});

afterAll(async () => {
  await killAll();
  await testDb?.drop();
  removeDir(dir);
});

/** NODE_OPTIONS that make Node append the URL of every module it loads to `file`. */
function recordModules(file: string): string {
  // the hooks run on Node's loader thread; appending there, before the module is handed over,
  // means the list is complete even when the command ends in process.exit
  const hooks = `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(${JSON.stringify(file)}, url + '\\n');
  return next(url, context);
}`;
  const preload = `import { register } from 'node:module';
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
  return `--import=data:text/javascript,${encodeURIComponent(preload)}`;
}

/** Runs the CLI and returns the npm packages it loaded (by name, e.g. `@node-rs/argon2`). */
async function packagesLoaded(args: string[]): Promise<{ code: number | null; packages: Set<string> }> {
  const log = path.join(dir, `modules-${args.join('-').replace(/\W+/g, '_')}.txt`);
  writeFileSync(log, '');
  const r = await runCli(args, { ...env, NODE_OPTIONS: recordModules(log) });
  const urls = readFileSync(log, 'utf8').split('\n');
  // the hook really saw the CLI (bundled, or compiled by tsx when esbuild cannot build)
  expect(urls.some((u) => u.endsWith('/main.mjs') || u.endsWith('/src/main.ts'))).toBe(true);
  const packages = new Set<string>();
  for (const u of urls) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u);
    if (m) packages.add(m[1]!);
  }
  return { code: r.code, packages };
}

/** What only the HTTP server, the job queue, other domains or a running command need. */
const SERVER = ['fastify', 'pg-boss', 'prom-client', '@fastify/swagger', '@node-rs/argon2'];
const RUNNING = ['pg', 'kysely', 'pino', 'zod', 'croner', 'exceljs', 'csv-parse', 'ioredis'];

describe('what the CLI loads', () => {
  for (const args of [['--help'], ['--version'], ['import-prices', '--help'], ['agent', 'run', '--help']]) {
    it(`awa ${args.join(' ')} loads commander and nothing heavier`, async () => {
      const { code, packages } = await packagesLoaded(args);
      expect(code).toBe(0);
      expect(packages.has('commander')).toBe(true);
      expect([...packages].filter((p) => SERVER.includes(p) || RUNNING.includes(p))).toEqual([]);
    });
  }

  it('awa import-prices loads the database but not the HTTP server, the job queue or argon2', async () => {
    const f = path.join(dir, 'list.csv');
    writeFileSync(f, 'sku,ean,cost\nA-1,4006381333931,1.50\n');
    const { code, packages } = await packagesLoaded(['import-prices', f, '--vendor', 'ACME', '--dry-run']);
    expect(code).toBe(0);
    expect(packages.has('kysely')).toBe(true);
    expect([...packages].filter((p) => SERVER.includes(p))).toEqual([]);
  });
});
