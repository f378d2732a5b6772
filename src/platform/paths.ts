import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The checkout/image root (the folder with AWA's package.json). Found by walking up, because the
 * code runs both from src/ (tests, tsx) and bundled into dist/ (`awa` binary).
 */
export function projectRoot(from = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'migrations'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the AWA project root above ${from}`);
    dir = up;
  }
}
