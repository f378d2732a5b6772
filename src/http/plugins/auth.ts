import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import {
  type Authenticator,
  hasRole,
  isSession,
  type Principal,
  type Role,
  type SessionPrincipal,
} from '../../domains/auth/auth.service.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config.ts';
import { AppError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import type { AuditWriter } from './audit.ts';
import { routeLabel } from './observability.ts';
import { registerRateLimit } from './rate-limit.ts';

/** What a route wants recorded as an event (login, logout…) in its request's audit row. */
export interface AuditEvent {
  event: string;
  /** Defaults to the principal's name (e.g. the e-mail tried on a failed sign-in, never a password). */
  actor?: string;
  role?: Role | null;
  details?: Record<string, unknown>;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    auditEvent?: AuditEvent;
    /** Why no principal was found; thrown by the guard unless the route is public. */
    authProblem?: AppError;
  }
  interface FastifyContextConfig {
    /** Least role allowed to call the route; every /api/v1 route needs at least `viewer`. */
    role?: Role;
    /** Callable without credentials (POST /auth/login); still Origin-checked if an Origin is sent. */
    public?: boolean;
    /** Allowed for a session whose one-time password is still unchanged (/me, /auth/password…). */
    beforePasswordChange?: boolean;
  }
}

export const SESSION_COOKIE = 'awa_session';
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface AuthDeps {
  config: Config;
  auth: Authenticator;
  /** The app's clock: sessions expire by the same clock that dated them. */
  clock: Clock;
  audit: AuditWriter;
  redis?: Redis;
  log?: Logger;
}

/**
 * TRUST_PROXY as Fastify takes it. Fastify refuses a bare hop count (a client reaching the app
 * directly could claim any address), so a count N trusts the N nearest hops whoever they are: safe
 * only when the app is reachable through the proxy alone (README); addresses/CIDRs are safer.
 */
export function trustProxyOption(
  v: boolean | number | string[],
): boolean | string[] | ((addr: string, hop: number) => boolean) {
  return typeof v === 'number' ? (_addr, hop) => hop < v : v;
}

/** HttpOnly (no script reads it), SameSite=Lax, Secure when the request came over TLS. */
export function setSessionCookie(
  reply: FastifyReply,
  req: FastifyRequest,
  value: string,
  expires: Date,
): void {
  reply.setCookie(SESSION_COOKIE, value, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: req.protocol === 'https',
    expires,
  });
}

export function clearSessionCookie(reply: FastifyReply, req: FastifyRequest): void {
  reply.clearCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: req.protocol === 'https',
  });
}

/**
 * Guards an encapsulated context (the /api/v1 routes) in three steps:
 * 1. onRequest: bearer token (scripts) or session cookie (the web app) → principal, rejecting nothing
 *    yet, so that
 * 2. the per-role rate limit (the next onRequest hook, plugins/rate-limit.ts) counts failed attempts
 *    too: keyed by token or session when there is one, else by client IP at the viewer limit; then
 * 3. preParsing (before any body is read): 401 without a principal, the CSRF check for cookie
 *    writes, the one-time-password gate and the role check.
 * Every authenticated request, and every event a route names (sign-in…), gets an audit row.
 */
export async function registerAuth(app: FastifyInstance, deps: AuthDeps): Promise<void> {
  await deps.auth.listen(deps.log);
  app.addHook('onClose', async () => deps.auth.unlisten());

  // callback style: a token found in the in-process cache is settled without a promise; the rest
  // (a first sight, a Redis cache, a session) waits for its lookup
  app.addHook('onRequest', (req, reply, done) => {
    const header = req.headers.authorization;
    if (header !== undefined) {
      const m = BEARER.exec(header);
      if (!m) {
        req.authProblem = new AppError('unauthorized', BEARER_HELP);
        done();
        return;
      }
      const known = deps.auth.cachedToken(m[1]!);
      if (known !== undefined) {
        tokenPrincipal(req, known);
        done();
        return;
      }
      deps.auth.authenticate(m[1]!).then((p) => {
        tokenPrincipal(req, p ?? null);
        done();
      }, done);
      return;
    }
    // cookies are parsed here, for the requests that may carry a session, not by a hook on all
    const cookie = req.headers.cookie
      ? req.server.parseCookie(req.headers.cookie)[SESSION_COOKIE]
      : undefined;
    if (!cookie) {
      req.authProblem = new AppError(
        'unauthorized',
        `not signed in: ${BEARER_HELP}, or sign in (POST /api/v1/auth/login)`,
      );
      done();
      return;
    }
    deps.auth.authenticateSession(cookie, deps.clock.now()).then((p) => {
      if (p) {
        req.principal = p;
      } else {
        clearSessionCookie(reply, req);
        req.authProblem = new AppError(
          'unauthorized',
          'your session has ended (signed out or expired); sign in again',
        );
      }
      done();
    }, done);
  });

  registerRateLimit(app, {
    limits: {
      viewer: deps.config.RATE_LIMIT_PER_MINUTE_VIEWER,
      ops: deps.config.RATE_LIMIT_PER_MINUTE_OPS,
      admin: deps.config.RATE_LIMIT_PER_MINUTE_ADMIN,
    },
    redis: deps.redis,
  });

  // synchronous hooks: these never wait, and an async hook costs a promise per request
  app.addHook('preParsing', (req, _reply, payload, done) => {
    try {
      guard(req, deps.config);
    } catch (err) {
      done(err as AppError);
      return;
    }
    done(null, payload);
  });

  app.addHook('onResponse', (req, reply, done) => {
    const ev = req.auditEvent;
    if (req.principal || ev) {
      deps.audit.add({
        actor: ev?.actor ?? req.principal!.name,
        role: ev?.role !== undefined ? ev.role : (req.principal?.role ?? null),
        method: req.method,
        route: routeLabel(req),
        status: reply.statusCode,
        latency_ms: Math.round(reply.elapsedTime * 100) / 100,
        request_id: req.id,
        ip: req.ip,
        event: ev?.event ?? null,
        details: ev?.details ?? null,
      });
    }
    done();
  });
}

/** Step 3: who may call this route, before any body is read; throws the refusal. */
function guard(req: FastifyRequest, config: Config): void {
  const cfg = req.routeOptions.config;
  if (cfg?.public) {
    // no cookie to protect yet, but a sign-in forced from another site is refused too
    if (req.headers.origin !== undefined && originOk(req, config) !== true) {
      throw new AppError('forbidden', `CSRF check failed: origin ${req.headers.origin} may not sign in here`);
    }
    return;
  }
  const p = req.principal;
  if (!p) throw req.authProblem ?? new AppError('unauthorized', BEARER_HELP);
  if (isSession(p)) {
    if (WRITES.has(req.method)) checkCsrf(req, p, config);
    if (p.mustChangePassword && !cfg?.beforePasswordChange) {
      throw new AppError(
        'forbidden',
        'change your one-time password first (POST /api/v1/auth/password), then try again',
      );
    }
  }
  const need = cfg?.role ?? 'viewer';
  if (!hasRole(p.role, need)) {
    const whose = p.kind === 'token' ? 'your token' : 'your account';
    throw new AppError('forbidden', `this action needs the ${need} role; ${whose} has ${p.role}`);
  }
}

const BEARER_HELP = 'send Authorization: Bearer <token>';
const BEARER = /^Bearer\s+(\S+)$/i;

function tokenPrincipal(req: FastifyRequest, p: Principal | null): void {
  if (p) req.principal = p;
  else req.authProblem = new AppError('unauthorized', 'invalid or revoked token');
}

/**
 * A browser write authenticated by cookie must come from this site: its Origin (or, without one,
 * Referer) is this host or a CORS_ORIGINS entry, and it carries the session's CSRF token, which
 * another site can neither read nor guess (SameSite=Lax alone leaves same-site and old browsers).
 */
function checkCsrf(req: FastifyRequest, p: SessionPrincipal, config: Config): void {
  const ok = originOk(req, config);
  if (ok !== true) {
    const from = req.headers.origin ?? req.headers.referer;
    throw new AppError(
      'forbidden',
      ok === undefined
        ? 'CSRF check failed: a signed-in browser write needs an Origin or Referer header'
        : `CSRF check failed: ${String(from)} is not this site`,
    );
  }
  const sent = req.headers['x-csrf-token'];
  if (typeof sent !== 'string' || !safeEqual(sent, p.csrfToken)) {
    throw new AppError(
      'forbidden',
      'CSRF check failed: send header X-CSRF-Token with the csrf_token from sign-in or GET /api/v1/me',
    );
  }
}

/** true/false for the Origin (else Referer) header; undefined when neither was sent. */
function originOk(req: FastifyRequest, config: Config): boolean | undefined {
  const from = req.headers.origin ?? req.headers.referer;
  if (from === undefined) return undefined;
  let u: URL;
  try {
    u = new URL(from);
  } catch {
    return false; // includes `Origin: null` (sandboxed frames, some redirects)
  }
  // req.host is the Host header, or X-Forwarded-Host from a trusted proxy (TRUST_PROXY); a default
  // port may be written out in one and left implicit in the other
  const bare = (h: string) => h.toLowerCase().replace(/:(80|443)$/, '');
  return config.CORS_ORIGINS.includes(u.origin) || bare(u.host) === bare(req.host);
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
