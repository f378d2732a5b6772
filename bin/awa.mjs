#!/usr/bin/env node
// The `awa` command. Runs the TypeScript sources without a separate build step: they are bundled
// once into dist/awa.mjs (esbuild, ~0.2 s) and rebuilt whenever a source file is newer, because
// loading the bundle with plain Node starts about a second faster than compiling through tsx.
import { mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'awa.mjs');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

function fresh() {
  try {
    return statSync(out).mtimeMs >= newest(path.join(root, 'src'));
  } catch {
    return false;
  }
}

async function bundle() {
  const { build } = await import('esbuild');
  const tmp = `${out}.${process.pid}.tmp`;
  mkdirSync(path.dirname(out), { recursive: true });
  await build({
    entryPoints: [path.join(root, 'src', 'main.ts')],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'silent',
  });
  renameSync(tmp, out); // atomic: a concurrent `awa` never loads half a file
}

process.setSourceMapsEnabled(true);
let entry = out;
if (!fresh()) {
  try {
    await bundle();
  } catch {
    // read-only install or no esbuild: compile on the fly instead (slower start, same behaviour)
    const { register } = await import('tsx/esm/api');
    register();
    entry = path.join(root, 'src', 'main.ts');
  }
}
await import(pathToFileURL(entry).href);
