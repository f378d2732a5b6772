import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { projectRoot } from '../platform/paths.ts';

/** Where `npm run build` puts the browser app (web/vite.config.ts). */
export function webDir(root = projectRoot()): string {
  return path.join(root, 'dist', 'web');
}

// Paths the API process answers itself: an unknown one there is a JSON 404, never the app's HTML.
const SERVER_PATHS = /^\/(api|docs|health|ready|metrics)(\/|$|\?)/;

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>AWA</title>
<main><h1>AWA</h1><p>The web app is not built in this installation. Run <code>npm run build</code> and
restart AWA. The API is at <a href="/docs">/docs</a>.</p></main></html>`;

/**
 * Serves the single-page app at `/`. Vite names every asset after its content hash, so assets are
 * cached for a year as immutable; index.html is revalidated on every load so a new release is picked
 * up at once. Any other GET that accepts HTML is the app's own route (`/roi`, `/sku/B0…`) and gets
 * index.html: the browser router takes it from there (deep links and reloads work).
 */
export async function registerWebApp(app: FastifyInstance, dir = webDir()): Promise<void> {
  const built = existsSync(path.join(dir, 'index.html'));
  if (built) {
    const { default: fastifyStatic } = await import('@fastify/static');
    await app.register(fastifyStatic, {
      root: dir,
      prefix: '/',
      wildcard: false, // routes for the files present at start; the fallback below does the rest
      index: false,
      preCompressed: true, // the .br/.gz files `npm run build` writes beside each asset
      globIgnore: ['**/*.br', '**/*.gz'], // served in place of their original, never by their own name
      setHeaders: (reply, file) => {
        const immutable = file.startsWith(path.join(dir, 'assets') + path.sep);
        reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  const sendApp = (reply: FastifyReply) =>
    built
      ? reply.header('cache-control', 'no-cache').sendFile('index.html')
      : reply.type('text/html; charset=utf-8').send(NOT_BUILT);

  app.get('/', { schema: { hide: true } }, (_req, reply) => sendApp(reply));
  app.get('/*', { schema: { hide: true } }, (req, reply) => {
    const wantsHtml = (req.headers.accept ?? '').includes('text/html');
    if (SERVER_PATHS.test(req.url) || !wantsHtml || path.extname(req.url.split('?')[0]!) !== '') {
      return reply.callNotFound();
    }
    return sendApp(reply);
  });
}
