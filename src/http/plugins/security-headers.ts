import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/** Helmet's settings for what a browser renders: the web app, /docs, the probes. */
const PAGE_OPTIONS: HelmetOptions = {
  // Helmet's default CSP asks browsers to upgrade every request to https; over plain http on a LAN
  // address (a self-hosted box without TLS) that breaks every script and call of the web app.
  contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
};

/** The headers a helmet middleware sets, read once off a stand-in response. */
export function helmetHeaders(options: HelmetOptions): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: unknown) {
      out[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete out[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
  });
  return Object.freeze(out);
}

export const PAGE_HEADERS = helmetHeaders(PAGE_OPTIONS);

/**
 * What a JSON answer needs (OWASP REST Security Cheat Sheet): never sniffed into something a browser
 * runs, never rendered or framed as a page, HTTPS-only once reached over HTTPS, not readable from
 * another origin's page. The page-level rest (the script/style CSP, COOP, referrer policy…) guards
 * documents the API never serves, and cost ~700 bytes on every answer.
 */
export const API_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-origin',
  'strict-transport-security': PAGE_HEADERS['strict-transport-security']!,
  'x-content-type-options': 'nosniff',
});

/** /api/… answers only JSON (and CSV downloads); an unknown path there is a JSON 404 (static.ts). */
function isApi(req: FastifyRequest): boolean {
  return req.url.startsWith('/api/');
}

/**
 * Security headers on every response, computed once: helmet rebuilt on each request (as the Fastify
 * plugin does) cost more than the rest of an authenticated API call. Set at onRequest so that early
 * answers (401, 429, 404) carry them too; a route may still override one (/docs sets its own CSP).
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', (req, reply, done) => {
    reply.headers(isApi(req) ? API_HEADERS : PAGE_HEADERS);
    done();
  });
}
