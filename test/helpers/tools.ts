import { spawnSync } from 'node:child_process';

/**
 * An outside program a few tests drive for real (a Redis server, the Compose CLI). It is not an npm
 * package, so `npm install` cannot bring it: on a developer's machine without it those tests are
 * skipped with one line saying which Debian package to install; under CI=true (.ci/run sets it)
 * they are mandatory, so a CI machine that lacks the program fails instead of quietly testing less.
 */
export interface Tool {
  /** What the skip line calls it. */
  name: string;
  /** The Debian package that provides it. */
  pkg: string;
  /** Ways to run it, tried in order: the first whose `command ...check` exits 0 is used. */
  probes: { command: [string, ...string[]]; check: string[] }[];
}

export const REDIS_SERVER: Tool = {
  name: 'redis-server',
  pkg: 'redis-server',
  probes: [{ command: ['redis-server'], check: ['--version'] }],
};

/** Debian's Chromium, driven by playwright-core (Playwright's own browser download cannot work here). */
export const CHROMIUM: Tool = {
  name: 'chromium',
  pkg: 'chromium',
  probes: [{ command: ['chromium'], check: ['--version'] }],
};

/** Compose v2 as a Docker CLI plugin, else the standalone v1/v2 `docker-compose`. */
export const COMPOSE: Tool = {
  name: 'docker-compose',
  pkg: 'docker-compose',
  probes: [
    { command: ['docker', 'compose'], check: ['version'] },
    { command: ['docker-compose'], check: ['version'] },
  ],
};

/**
 * The environment without a preloaded clock shift (.ci/run runs the suite under one): that time
 * library cannot initialise inside redis-server, which then hangs at start. Redis keeps time only
 * for TTLs and rate windows, which are durations, so the real clock serves it as well.
 */
export function unshiftedEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([k]) => k !== 'LD_PRELOAD' && !k.startsWith('FAKETIME')),
  );
}

/** CI=true as .ci/run exports it (also 1/yes, as other CI systems set it). */
export const inCi = /^(true|1|yes)$/i.test(process.env.CI ?? '');

const found = new Map<Tool, [string, ...string[]] | undefined>();

/** The command of the first way that works (e.g. ['docker', 'compose']), or undefined. */
export function findTool(tool: Tool): [string, ...string[]] | undefined {
  if (!found.has(tool)) {
    const ok = tool.probes.find(({ command: [cmd, ...rest], check }) => {
      const r = spawnSync(cmd, [...rest, ...check], {
        env: unshiftedEnv(),
        stdio: 'ignore',
        timeout: 30_000,
      });
      return !r.error && r.status === 0;
    });
    found.set(tool, ok?.command);
  }
  return found.get(tool);
}

function missingMessage(tool: Tool): string {
  return `${tool.name} not found: apt-get install -y ${tool.pkg}`;
}

/**
 * For `describe.skipIf(skipWithout(TOOL, what))`: true when the tool is missing outside CI, after one
 * line on stderr (written directly: vitest would frame a console line with a header of its own).
 * In CI it is never true, and `requireTool` in the tests' set-up fails them with the same message.
 */
export function skipWithout(tool: Tool, what: string): boolean {
  if (findTool(tool) || inCi) return false;
  process.stderr.write(`${missingMessage(tool)} (skipped: ${what}; under CI=true it fails instead)\n`);
  return true;
}

/** The tool's command, or a clear error (what a CI run without it fails with). */
export function requireTool(tool: Tool): [string, ...string[]] {
  const cmd = findTool(tool);
  if (!cmd) {
    throw new Error(`${missingMessage(tool)}${inCi ? ' (CI=true: these tests are mandatory)' : ''}`);
  }
  return cmd;
}
