// Runs after `vite build`: writes a Brotli (.br) and a gzip (.gz) copy next to every text asset of
// dist/web, once, at maximum compression. `awa start` serves them to browsers that accept them
// (@fastify/static's preCompressed), so a first visit downloads ~4x fewer bytes without the server
// compressing anything per request.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'web');
const TEXT = /\.(js|css|html|svg|json|txt|map)$/;

function* files(d) {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (TEXT.test(e.name)) yield p;
  }
}

let n = 0;
for (const file of files(dir)) {
  if (statSync(file).size < 1024) continue; // not worth a second request path
  const data = readFileSync(file);
  writeFileSync(`${file}.br`, brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
  n += 1;
}
console.log(`compressed ${n} files of dist/web (.br, .gz)`);
