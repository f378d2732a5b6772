import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { webDir } from '../../src/http/static.ts';
import { ROOT } from '../helpers/proc.ts';
import { CHROMIUM, requireTool, unshiftedEnv } from '../helpers/tools.ts';

/**
 * Headless Debian Chromium. The network flags matter on a closed network: without them Chromium
 * opens background connections (component updates, sync, Google lookups) that are refused many at a
 * time and slow every start. It runs with the real clock (see unshiftedEnv): a preloaded clock shift
 * breaks its sandboxed helper processes, and nothing in a page depends on the calendar date.
 */
export async function launchChromium(): Promise<Browser> {
  const [command] = requireTool(CHROMIUM);
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: onPath(command),
    env: unshiftedEnv() as Record<string, string>,
    args: [
      '--no-sandbox', // root in CI; the page is our own app on loopback
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

function onPath(command: string): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(dir, command);
    if (dir && existsSync(file)) return file;
  }
  return command;
}

/** Builds the web app once when dist/web is missing (a fresh checkout whose install skipped it). */
export function ensureWebBuilt(): string {
  const dir = webDir(ROOT);
  if (!existsSync(path.join(dir, 'index.html'))) {
    const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit', env: process.env });
    if (r.status !== 0) throw new Error('npm run build failed: the web app cannot be tested');
  }
  return dir;
}
