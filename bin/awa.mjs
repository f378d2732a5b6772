#!/usr/bin/env node
// The `awa` command. Runs the TypeScript sources without a separate build step: they are bundled
// (esbuild, ~0.3 s) into dist/cli/<build>/ and rebuilt whenever a source file is newer, because
// loading the bundle with plain Node starts about a second faster than compiling through tsx.
// The bundle is split into an entry (main.mjs: the command definitions) and chunks that a command
// imports when it runs, so `awa --help` loads neither the HTTP server, the job queue nor any domain;
// worker threads have entries of their own (import-worker.mjs: the price-list parser).
//
// Builds are never changed in place: a running `awa` may still import chunks of the build it
// started from. Each build gets its own folder; dist/cli/current names the one to use and is
// replaced atomically, so concurrent builds (e.g. parallel tests after an edit) each finish whole
// and the last one wins. A replaced build is deleted by a later rebuild, an hour after it was replaced.
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist', 'cli');
const pointer = path.join(dist, 'current');
const KEEP_REPLACED_MS = 60 * 60 * 1000;

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/** The build dist/cli/current names, if any. */
function currentBuild() {
  try {
    return readFileSync(pointer, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

const entryOf = (build) => path.join(dist, build, 'main.mjs');

/** The current build's entry if no source file is newer than it. */
function freshEntry() {
  const build = currentBuild();
  if (!build) return undefined;
  try {
    return statSync(entryOf(build)).mtimeMs >= newest(path.join(root, 'src')) ? entryOf(build) : undefined;
  } catch {
    return undefined;
  }
}

async function bundle() {
  const { build } = await import('esbuild');
  const started = Date.now();
  const id = `${started.toString(36)}-${process.pid}`;
  const dir = path.join(dist, id);
  mkdirSync(dist, { recursive: true });
  try {
    await build({
      entryPoints: {
        main: path.join(root, 'src', 'main.ts'),
        // a worker thread's entry (src/domains/vendors/import.reader.ts starts it by this name)
        'import-worker': path.join(root, 'src', 'domains', 'vendors', 'import.worker.ts'),
      },
      outdir: dir,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      splitting: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      sourcemap: 'inline',
      logLevel: 'silent',
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  // dated from the start of the build: a source saved while esbuild ran still counts as newer
  utimesSync(entryOf(id), started / 1000, started / 1000);
  const replaced = currentBuild();
  const tmp = `${pointer}.${process.pid}.tmp`;
  writeFileSync(tmp, `${id}\n`);
  renameSync(tmp, pointer); // atomic: a concurrent `awa` reads the old name or the new one
  try {
    // a folder's mtime says when it was replaced (or built, if it never was current)
    if (replaced && replaced !== id) utimesSync(path.join(dist, replaced), new Date(), new Date());
    removeOldBuilds(id);
  } catch {}
  return entryOf(id);
}

function removeOldBuilds(keep) {
  const current = currentBuild();
  for (const e of readdirSync(dist, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name === keep || e.name === current) continue;
    const p = path.join(dist, e.name);
    if (Date.now() - statSync(p).mtimeMs > KEEP_REPLACED_MS) rmSync(p, { recursive: true, force: true });
  }
}

process.setSourceMapsEnabled(true);
let entry = freshEntry();
if (!entry) {
  try {
    entry = await bundle();
  } catch {
    // read-only install or no esbuild: compile on the fly instead (slower start, same behaviour)
    const { register } = await import('tsx/esm/api');
    register();
    entry = path.join(root, 'src', 'main.ts');
  }
}
await import(pathToFileURL(entry).href);
