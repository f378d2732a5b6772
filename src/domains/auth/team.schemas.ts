import { Type } from '@sinclair/typebox';
import { DateTime, Literals, Nullable, Paged } from '../../http/schemas.ts';
import { ROLES } from './principal.ts';

/** Request and response shapes of the Team and access routes (team.routes.ts). */

export const Role = Literals(ROLES, {
  description: 'viewer reads; ops also changes business data; admin also manages access',
});
export const EmailParam = Type.Object({
  email: Type.String({ minLength: 3, maxLength: 254, description: "the user's e-mail (URL-encoded)" }),
});
export const TokenParam = Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }) });

export const TeamUser = Type.Object(
  {
    email: Type.String(),
    name: Type.String(),
    role: Role,
    must_change_password: Type.Boolean({ description: 'still on a one-time password' }),
    disabled_at: Nullable(DateTime()),
    created_at: DateTime(),
    password_changed_at: DateTime(),
    last_login_at: Nullable(DateTime()),
  },
  { $id: 'TeamUser' },
);

export const NewUserBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    name: Type.Optional(
      Type.String({ maxLength: 100, description: 'shown in the app; default: the e-mail' }),
    ),
    role: Role,
  },
  { additionalProperties: false },
);

export const OneTimePassword = Type.Object(
  {
    email: Type.String(),
    name: Type.String(),
    role: Role,
    password: Type.String({
      description: 'one-time password, shown this once: the user must replace it at first sign-in',
    }),
    sessions_revoked: Type.Optional(Type.Integer({ description: 'reset only: sessions ended' })),
  },
  { $id: 'OneTimePassword' },
);

export const RoleBody = Type.Object({ role: Role }, { additionalProperties: false });
export const RoleChanged = Type.Object({ email: Type.String(), role: Role, previous_role: Role });
export const Disabled = Type.Object({
  email: Type.String(),
  disabled_at: DateTime(),
  sessions_revoked: Type.Integer(),
});

export const ApiToken = Type.Object(
  {
    name: Type.String(),
    role: Role,
    prefix: Type.String({ description: 'the first characters, to recognise a token; never the secret' }),
    created_at: DateTime(),
    last_used_at: Nullable(DateTime({ description: 'recorded within about 10 s of a use' })),
    revoked_at: Nullable(DateTime()),
  },
  { $id: 'ApiToken' },
);

export const NewTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64, description: "letters, digits, '.', '_', '@', '-'" }),
    role: Role,
  },
  { additionalProperties: false },
);

export const NewToken = Type.Object(
  {
    name: Type.String(),
    role: Role,
    token: Type.String({ description: 'the secret, shown this once; only its hash is stored' }),
  },
  { $id: 'NewApiToken' },
);

export const AuditFilterQuery = {
  actor: Type.Optional(Type.String({ maxLength: 254, description: 'part of the e-mail or token name' })),
  action: Type.Optional(
    Type.String({ maxLength: 100, description: 'part of the event name or of "METHOD /api/v1/route"' }),
  ),
  from: Type.Optional(Type.String({ maxLength: 10, description: 'first day, YYYY-MM-DD (UTC)' })),
  to: Type.Optional(Type.String({ maxLength: 10, description: 'last day, YYYY-MM-DD (UTC), included' })),
  only: Type.Optional(
    Literals(['events', 'writes'] as const, {
      description: 'events: named events; writes: events and every request that is not a read',
    }),
  ),
  order: Type.Optional(Literals(['asc', 'desc'] as const, { description: 'by time; default newest first' })),
};

export const AuditQuery = Type.Object({
  ...AuditFilterQuery,
  page: Type.Integer({ minimum: 1, default: 1 }),
  page_size: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
});

export const AuditEntry = Type.Object(
  {
    id: Type.Integer(),
    at: DateTime(),
    actor: Type.String({
      description: "a user's e-mail, a token's name, or what a CLI user called themselves",
    }),
    role: Nullable(Type.String()),
    action: Type.String({ description: 'the event, else "METHOD /route"' }),
    event: Nullable(Type.String()),
    method: Type.String({ description: 'HTTP method, or CLI' }),
    route: Type.String(),
    status: Type.Integer({ description: 'HTTP status; 0 for a CLI command' }),
    latency_ms: Type.Number(),
    request_id: Nullable(Type.String()),
    ip: Nullable(Type.String()),
    details: Nullable(
      Type.Record(Type.String(), Type.Unknown(), { description: 'what the event was about' }),
    ),
  },
  { $id: 'AuditEntry' },
);

export const AuditPage = Paged(AuditEntry);
