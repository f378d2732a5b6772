import { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { HttpDeps } from '../../http/deps.ts';
import { withErrors } from '../../http/schemas.ts';
import { AppError } from '../../platform/errors.ts';
import { exportAuditCsv, listAudit } from './audit-log.service.ts';
import { createToken, listTokens, revokeToken } from './auth.service.ts';
import {
  ApiToken,
  AuditFilterQuery,
  AuditPage,
  AuditQuery,
  Disabled,
  EmailParam,
  NewToken,
  NewTokenBody,
  NewUserBody,
  OneTimePassword,
  RoleBody,
  RoleChanged,
  TeamUser,
  TokenParam,
} from './team.schemas.ts';
import * as team from './team.service.ts';
import { listUsers } from './users.service.ts';

const NoContent = Type.Null({ description: 'done; no body' });
const TAGS = ['team'];

/** A secret shown once must not stay in a browser's or a proxy's cache. */
const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

/** Team and access for admins: users, API tokens and the audit log. Every change is an audit event. */
export async function teamRoutes(fastify: FastifyInstance, deps: HttpDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const admin = { role: 'admin' as const };

  app.get(
    '/team/users',
    {
      config: admin,
      schema: {
        tags: TAGS,
        summary: 'Everyone who signs in to the web app, by e-mail',
        response: withErrors({ 200: Type.Object({ items: Type.Array(TeamUser) }) }),
      },
    },
    async () => ({ items: await listUsers(deps.db) }),
  );

  app.post(
    '/team/users',
    {
      config: admin,
      schema: {
        tags: TAGS,
        summary: 'Add a user with a generated one-time password (returned once)',
        body: NewUserBody,
        response: withErrors({ 201: OneTimePassword }),
      },
    },
    async (req, reply) => {
      const u = await team.createUser(deps, req.principal!, req.body);
      req.auditEvent = { event: 'user_created', details: { email: u.email, role: u.role } };
      return noStore(reply)
        .status(201)
        .send(u as typeof u & { password: string });
    },
  );

  app.patch(
    '/team/users/:email',
    {
      config: admin,
      schema: {
        tags: TAGS,
        summary: "Change a user's role (not your own admin role, not the last admin's)",
        params: EmailParam,
        body: RoleBody,
        response: withErrors({ 200: RoleChanged }),
      },
    },
    async (req) => {
      const r = await team.changeRole(deps, req.principal!, req.params.email, req.body.role);
      req.auditEvent = { event: 'user_role_changed', details: { ...r } };
      return r;
    },
  );

  app.post(
    '/team/users/:email/disable',
    {
      config: admin,
      schema: {
        tags: TAGS,
        summary: 'Stop a user signing in and end their sessions (not yourself, not the last admin)',
        params: EmailParam,
        response: withErrors({ 200: Disabled }),
      },
    },
    async (req) => {
      const r = await team.disableUser(deps, req.principal!, req.params.email);
      req.auditEvent = { event: 'user_disabled', details: { ...r } };
      return r;
    },
  );

  app.post(
    '/team/users/:email/enable',
    {
      config: admin,
      schema: {
        tags: TAGS,
        summary: 'Let a disabled user sign in again',
        params: EmailParam,
        response: withErrors({ 200: TeamUser }),
      },
    },
    async (req) => {
      const r = await team.enableUser(deps, req.params.email);
      req.auditEvent = { event: 'user_enabled', details: { email: r.email } };
      return r;
    },
  );

  app.post(
    '/team/users/:email/reset-password',
    {
      config: admin,
      schema: {
        tags: TAGS,
        summary: 'Give a user a new one-time password (returned once) and end their sessions',
        params: EmailParam,
        response: withErrors({ 200: OneTimePassword }),
      },
    },
    async (req, reply) => {
      const r = await team.resetPassword(deps, req.principal!, req.params.email);
      req.auditEvent = {
        event: 'password_reset',
        details: { email: r.email, generated_password: true, sessions_revoked: r.sessions_revoked },
      };
      return noStore(reply).send(r as typeof r & { password: string });
    },
  );

  app.get(
    '/team/tokens',
    {
      config: admin,
      schema: {
        tags: TAGS,
        summary: 'API tokens for scripts (never their secrets), oldest first',
        querystring: Type.Object({ include_revoked: Type.Boolean({ default: false }) }),
        response: withErrors({ 200: Type.Object({ items: Type.Array(ApiToken) }) }),
      },
    },
    async (req) => ({ items: await listTokens(deps.db, req.query.include_revoked) }),
  );

  app.post(
    '/team/tokens',
    {
      config: admin,
      schema: {
        tags: TAGS,
        summary: 'Create an API token; the secret is returned once, only its hash is stored',
        body: NewTokenBody,
        response: withErrors({ 201: NewToken }),
      },
    },
    async (req, reply) => {
      let t: Awaited<ReturnType<typeof createToken>>;
      try {
        t = await createToken(deps.db, req.body);
      } catch (err) {
        if (err instanceof AppError && (err.kind === 'invalid' || err.kind === 'conflict')) {
          throw new AppError(err.kind, err.message, { field: 'name', value: req.body.name });
        }
        throw err;
      }
      req.auditEvent = { event: 'token_created', details: { name: t.name, role: t.role } };
      return noStore(reply).status(201).send(t);
    },
  );

  app.delete(
    '/team/tokens/:name',
    {
      config: admin,
      schema: {
        tags: TAGS,
        summary: 'Revoke an API token at once, in every process',
        params: TokenParam,
        response: withErrors({ 204: NoContent }),
      },
    },
    async (req, reply) => {
      await revokeToken(deps.db, deps.cache, req.params.name);
      req.auditEvent = { event: 'token_revoked', details: { name: req.params.name } };
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/team/audit',
    {
      config: admin,
      schema: {
        tags: TAGS,
        summary: 'The audit log: who did what and when, filtered and paged, newest first',
        querystring: AuditQuery,
        response: withErrors({ 200: AuditPage }),
      },
    },
    async (req) => listAudit(deps.db, req.query),
  );

  app.get(
    '/team/audit.csv',
    {
      config: admin,
      schema: {
        tags: TAGS,
        summary: 'Every audit entry GET /team/audit matches (no paging) as a CSV download',
        querystring: Type.Object(AuditFilterQuery),
        response: withErrors({
          200: {
            description: 'CSV (RFC 4180), UTF-8 with a byte order mark, as awa-audit-<YYYY-MM-DD>.csv',
            content: { 'text/csv': { schema: Type.Unsafe<string | Readable>(Type.String()) } },
          },
        }),
      },
    },
    async (req, reply) => {
      const { filename, lines } = exportAuditCsv(deps.db, req.query, deps.clock.now());
      const body = Readable.from(lines);
      body.on('error', (err) => req.log.error({ err }, 'audit csv export failed'));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(body);
    },
  );
}
