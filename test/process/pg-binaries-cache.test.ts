import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, expect, it } from 'vitest';

// As root, the server binaries are copied once to a cache folder the postgres user can enter. On a
// fresh machine several processes (the test suite's servers, `awa start` beside a CLI command)
// make that copy at the same moment: none may see a half copy or lose the copy it runs from.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MODULE = pathToFileURL(path.join(ROOT, 'src', 'platform', 'db', 'pg-binaries.ts')).href;
const SCRIPT = `
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
const { reachableBy, resolvePgBinaries } = await import(${JSON.stringify(MODULE)});
const bins = await resolvePgBinaries(process.argv[1]);
// after every other process's copy has had time to land: still there, whole, and enterable by the
// user the server runs as
await new Promise((r) => setTimeout(r, 1500));
const reachable = bins.runAs ? reachableBy(path.dirname(bins.postgres), bins.runAs) : true;
const sha = createHash('sha256').update(readFileSync(bins.postgres)).digest('hex');
process.stdout.write(JSON.stringify({ postgres: bins.postgres, reachable, sha }));
`;

const cacheRoot = mkdtempSync(path.join(os.tmpdir(), 'awa-pgcache-'));
afterAll(() => rmSync(cacheRoot, { recursive: true, force: true }));

function resolveInChild(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', SCRIPT, cacheRoot],
      {
        cwd: ROOT,
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

it('four processes resolving the binaries at once all get a working copy, and one copy is left', async () => {
  const runs = await Promise.all([1, 2, 3, 4].map(() => resolveInChild()));
  const outs = runs.map((r) => {
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as { postgres: string; reachable: boolean; sha: string };
  });
  for (const out of outs) expect(out.reachable, out.postgres).toBe(true);
  // one binary, byte for byte, whichever process's copy won
  expect(new Set(outs.map((o) => o.sha)).size).toBe(1);
  const paths = new Set(outs.map((o) => o.postgres));
  expect(paths.size).toBe(1);
  if (process.getuid?.() === 0) {
    // the one finished copy, and no temporary folder left behind by the processes that lost
    expect(readdirSync(cacheRoot)).toEqual([expect.stringMatching(/^postgres-[\d.]+/)]);
    expect([...paths][0]?.startsWith(cacheRoot)).toBe(true);
  }
}, 120_000);
