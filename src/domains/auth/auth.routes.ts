import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../http/deps.ts';
import { clearSessionCookie, setSessionCookie } from '../../http/plugins/auth.ts';
import { Literals, Nullable, withErrors } from '../../http/schemas.ts';
import { AppError } from '../../platform/errors.ts';
import { dummyHash, PASSWORD_MAX_LENGTH } from './passwords.ts';
import { isSession, ROLES } from './principal.ts';
import { login, logout } from './sessions.service.ts';
import { LoginThrottle } from './throttle.ts';
import { changePassword } from './users.service.ts';

const Email = Type.String({ minLength: 3, maxLength: 254, description: 'the e-mail the user signs in with' });

const LoginBody = Type.Object(
  {
    email: Email,
    // generous: a password set before today's rules must still sign in; Argon2 cost stays bounded
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

const SignedIn = Type.Object(
  {
    user: Type.Object({
      email: Type.String(),
      name: Type.String(),
      role: Literals(ROLES),
      must_change_password: Type.Boolean({
        description:
          'a one-time password: only /me, /auth/password and /auth/logout answer until it is changed',
      }),
    }),
    csrf_token: Type.String({ description: 'send it as X-CSRF-Token on every write made with the cookie' }),
  },
  { $id: 'SignedIn' },
);

const Me = Type.Object(
  {
    kind: Literals(['token', 'session'] as const),
    name: Type.String({ description: "the token's name or the user's e-mail" }),
    role: Literals(ROLES),
    email: Nullable(Type.String()),
    must_change_password: Type.Boolean(),
    csrf_token: Nullable(Type.String({ description: 'sessions only: the X-CSRF-Token for writes' })),
    marketplace: Type.String({ description: 'AWA_MARKETPLACE, e.g. DE' }),
    currency: Type.String({ description: 'AWA_CURRENCY, e.g. EUR' }),
  },
  { $id: 'Me' },
);

const NoContent = Type.Null({ description: 'done; no body' });

export async function authRoutes(fastify: FastifyInstance, deps: HttpDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const throttle = new LoginThrottle({ redis: deps.redis, pool: deps.db.pool }, undefined, deps.log);
  const settings = { idleMinutes: deps.config.SESSION_IDLE_MINUTES, maxHours: deps.config.SESSION_MAX_HOURS };
  void dummyHash(); // computed now, so the first unknown e-mail does not take longer than the rest

  app.post(
    '/auth/login',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with e-mail and password: sets the awa_session cookie',
        security: [],
        body: LoginBody,
        response: withErrors({ 200: SignedIn }),
      },
    },
    async (req, reply) => {
      const email = req.body.email.trim();
      const r = await login(
        { db: deps.db, clock: deps.clock, throttle, settings },
        { email, password: req.body.password, ip: req.ip, userAgent: req.headers['user-agent'] },
      );
      if (!r.ok && r.reason === 'throttled') {
        req.auditEvent = { event: 'login_throttled', actor: email, role: null };
        reply.header('retry-after', String(r.retryAfterSeconds));
        throw new AppError('rate_limited', `too many failed sign-ins; try again in ${r.retryAfterSeconds} s`);
      }
      if (!r.ok) {
        req.auditEvent = { event: 'login_failed', actor: email, role: null };
        throw new AppError('unauthorized', 'wrong email or password');
      }
      req.auditEvent = { event: 'login', actor: r.user.email, role: r.user.role };
      setSessionCookie(reply, req, r.cookie, r.expiresAt);
      return { user: r.user, csrf_token: r.csrfToken };
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { beforePasswordChange: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign out: ends this session at once and clears the cookie',
        response: withErrors({ 204: NoContent }),
      },
    },
    async (req, reply) => {
      const p = req.principal!;
      if (isSession(p)) await logout(deps.db, deps.cache, deps.clock, p);
      req.auditEvent = { event: 'logout' };
      clearSessionCookie(reply, req);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/auth/password',
    {
      config: { beforePasswordChange: true },
      schema: {
        tags: ['auth'],
        summary: "Change the signed-in user's password; ends their other sessions",
        body: Type.Object(
          {
            current_password: Type.String({ minLength: 1, maxLength: 1024 }),
            new_password: Type.String({
              minLength: 1,
              maxLength: PASSWORD_MAX_LENGTH * 4,
              description: 'at least 12 characters, not the e-mail',
            }),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 204: NoContent }),
      },
    },
    async (req, reply) => {
      const p = req.principal!;
      if (!isSession(p)) {
        throw new AppError('forbidden', 'API tokens have no password; sign in as a user to change one');
      }
      req.auditEvent = { event: 'password_change_failed' };
      try {
        await changePassword({ db: deps.db, cache: deps.cache, clock: deps.clock, throttle }, p, {
          current: req.body.current_password,
          next: req.body.new_password,
          ip: req.ip,
        });
      } catch (err) {
        const wait = (err as AppError).details as { retry_after_seconds?: number } | undefined;
        if (wait?.retry_after_seconds) reply.header('retry-after', String(wait.retry_after_seconds));
        throw err;
      }
      req.auditEvent = { event: 'password_changed' };
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/me',
    {
      config: { beforePasswordChange: true },
      schema: {
        tags: ['auth'],
        summary: 'Who is calling: token or signed-in user, role, CSRF token; the web app calls it on load',
        response: withErrors({ 200: Me }),
      },
    },
    async (req) => {
      const p = req.principal!;
      const s = isSession(p) ? p : undefined;
      return {
        kind: p.kind,
        name: p.name,
        role: p.role,
        email: s ? s.name : null,
        must_change_password: s?.mustChangePassword ?? false,
        csrf_token: s?.csrfToken ?? null,
        marketplace: deps.config.AWA_MARKETPLACE,
        currency: deps.config.AWA_CURRENCY,
      };
    },
  );
}
