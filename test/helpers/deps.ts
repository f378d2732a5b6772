import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Clock, fixedClock } from '../../src/platform/clock.ts';
import { loadConfig } from '../../src/platform/config.ts';
import type { JobDeps } from '../../src/platform/jobs/types.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import { FsObjectStore } from '../../src/platform/storage/index.ts';
import type { TestDatabase } from './db.ts';

const dirs: string[] = [];
// test files create deps in beforeAll and never hand them back: the worker removes the dirs on exit
process.once('exit', () => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** What a job handler gets in production, on a test database with local storage in a temp dir. */
export function testJobDeps(
  tdb: TestDatabase,
  opts: { env?: Record<string, string>; clock?: Clock | string } = {},
): JobDeps {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'awa-deps-'));
  dirs.push(dir);
  const clock =
    typeof opts.clock === 'string' || !opts.clock
      ? fixedClock(opts.clock ?? '2026-11-28T10:00:00Z')
      : opts.clock;
  return {
    config: loadConfig({ AWA_DATA_DIR: dir, DATABASE_URL: tdb.url, ...opts.env }),
    db: tdb.db,
    store: new FsObjectStore(path.join(dir, 'objects')),
    clock,
    log: silentLogger,
  };
}
