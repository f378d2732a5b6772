import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';

const HTML = { accept: 'text/html,application/xhtml+xml' };

describe('the web app served by the API process', () => {
  let t: TestApp;
  let bare: TestApp;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'awa-web-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>AWA app</title><div id="root"></div>');
    writeFileSync(path.join(dir, 'assets', 'index-3f9a1c2b.js'), 'console.log(1)');
    writeFileSync(path.join(dir, 'assets', 'index-3f9a1c2b.js.br'), brotliCompressSync('console.log(1)'));
    writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    t = await createTestApp({ webDir: dir });
    bare = await createTestApp({ tdb: t.tdb });
  });
  afterAll(async () => {
    await bare.app.close();
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers / with the app, revalidated on every load', async () => {
    const r = await t.app.inject({ url: '/', headers: HTML });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/text\/html/);
    expect(r.body).toContain('AWA app');
    expect(r.headers['cache-control']).toBe('no-cache');
  });

  it('caches hashed assets for a year as immutable, other files are revalidated', async () => {
    const a = await t.app.inject({ url: '/assets/index-3f9a1c2b.js' });
    expect(a.statusCode).toBe(200);
    expect(a.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const f = await t.app.inject({ url: '/favicon.svg' });
    expect(f.statusCode).toBe(200);
    expect(f.headers['cache-control']).toBe('no-cache');
  });

  it("sends the build's Brotli copy to browsers that accept it, the plain file to others", async () => {
    const br = await t.app.inject({
      url: '/assets/index-3f9a1c2b.js',
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe('console.log(1)');
    const plain = await t.app.inject({
      url: '/assets/index-3f9a1c2b.js',
      headers: { 'accept-encoding': 'identity' },
    });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe('console.log(1)');
    // the compressed copy is not a file of its own
    expect((await t.app.inject({ url: '/assets/index-3f9a1c2b.js.br' })).statusCode).toBe(404);
  });

  it("gives the app's own routes index.html, so deep links and reloads work", async () => {
    for (const url of ['/roi?roi_min=30&sort=margin', '/sku/B000TEST01', '/price-lists']) {
      const r = await t.app.inject({ url, headers: HTML });
      expect(r.statusCode, url).toBe(200);
      expect(r.body, url).toContain('AWA app');
    }
  });

  it('keeps JSON 404s for unknown API paths, missing files and non-HTML clients', async () => {
    for (const [url, headers] of [
      ['/api/v1/no-such-route', HTML],
      ['/api/v1/no-such-route', {}],
      ['/assets/missing-00000000.js', HTML],
      ['/roi', { accept: 'application/json' }],
      ['/docs/nothing-here', HTML],
    ] as const) {
      const r = await t.app.inject({ url, headers });
      expect(r.statusCode, url).toBe(404);
      expect(r.json().error.code, url).toBe('not_found');
    }
  });

  it('sends a CSP that works over plain http (no upgrade-insecure-requests)', async () => {
    const r = await t.app.inject({ url: '/', headers: HTML });
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
  });

  it("keeps the browser's full set on pages and /docs, which the API's JSON answers go without", async () => {
    for (const url of ['/', '/roi', '/docs/']) {
      const r = await t.app.inject({ url, headers: HTML });
      expect(r.statusCode, url).toBe(200);
      expect(r.headers['x-content-type-options'], url).toBe('nosniff');
      expect(r.headers['x-frame-options'], url).toBe('SAMEORIGIN');
      expect(r.headers['referrer-policy'], url).toBe('no-referrer');
      expect(r.headers['cross-origin-opener-policy'], url).toBe('same-origin');
      expect(r.headers['strict-transport-security'], url).toBeDefined();
      expect(String(r.headers['content-security-policy']), url).toContain("default-src 'self'");
    }
  });

  it('says how to build the app when it is not built, instead of a bare 404', async () => {
    const r = await bare.app.inject({ url: '/roi', headers: HTML });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('npm run build');
  });
});
