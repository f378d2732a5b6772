// `npm install` / `npm ci` run this (the package's prepare step): it builds the web app into
// dist/web so `npm start` serves it. A production install (`npm ci --omit=dev`, as the Docker image's
// dependency stage does) has no Vite; it skips the build and says so — the image builds the app in a
// stage of its own.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

try {
  createRequire(import.meta.url).resolve('vite');
} catch {
  console.log('prepare: Vite is not installed (production install): the web app is not built here');
  process.exit(0);
}
const r = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
