import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from './errors.ts';
import { isAlive } from './process.ts';

function lockFile(dataDir: string): string {
  return path.join(dataDir, 'awa.pid');
}

/** pid of the `awa start` holding this data dir, if it is alive. */
export function runningInstance(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(lockFile(dataDir), 'utf8').trim());
    return pid && isAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One `awa start` per data dir: a second one would fight the first over the embedded server and
 * the port. A lock left by a killed process (pid no longer alive) is taken over.
 */
export function acquireInstanceLock(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = lockFile(dataDir);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => {
        if (runningInstance(dataDir) === process.pid) rmSync(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = runningInstance(dataDir);
      if (pid && pid !== process.pid) {
        throw new AppError(
          'conflict',
          `AWA is already running on data dir ${dataDir} (pid ${pid}); stop it first, or use another AWA_DATA_DIR`,
        );
      }
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new AppError('conflict', `could not lock data dir ${dataDir}`);
}
