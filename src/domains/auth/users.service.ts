import type { Cache } from '../../platform/cache.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import type { Queryable } from '../../platform/db/queryable.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import { AppError } from '../../platform/errors.ts';
import { checkPassword, generatePassword, hashPassword, verifyPassword } from './passwords.ts';
import { parseRole, type Role, type SessionPrincipal } from './principal.ts';
import * as sessions from './sessions.repo.ts';
import { forget } from './sessions.service.ts';
import type { LoginThrottle } from './throttle.ts';
import * as repo from './users.repo.ts';

export interface UserInfo {
  email: string;
  name: string;
  role: Role;
  must_change_password: boolean;
  disabled_at: string | null;
  created_at: string;
  password_changed_at: string;
  last_login_at: string | null;
}

/** Who runs a command (for the audit log) and the clock it runs on. */
export interface Acting {
  actor: string;
  clock: Clock;
  /** false: the caller records the event itself (an HTTP route, in its request's audit row). */
  audit?: boolean;
}

/** A check run inside the change's transaction, after the user row is found (e.g. "not the last admin"). */
export type UserGuard = (tx: Queryable, u: repo.UserRow) => Promise<void>;

/** A created or reset user; `password` only when AWA generated it (shown once, never stored). */
export interface Credentials {
  email: string;
  name: string;
  role: Role;
  password?: string;
}

// deliberately loose (RFC 5322 allows far more): one @, no spaces, a dot in the domain
const EMAIL = /^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$/;

export function parseEmail(email: string): string {
  const e = email.trim().toLowerCase();
  if (e.length > 254 || !EMAIL.test(e)) {
    throw new AppError('invalid', `"${email}" is not an e-mail address such as name@example.com`, {
      field: 'email',
    });
  }
  return e;
}

function parseName(name: string | undefined, email: string): string {
  const n = (name ?? '').trim();
  if (n.length > 100) throw new AppError('invalid', 'name must be at most 100 characters', { field: 'name' });
  return n || email;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

function info(u: repo.UserRow): UserInfo {
  return {
    email: u.email,
    name: u.name,
    role: u.role as Role,
    must_change_password: u.must_change_password,
    disabled_at: iso(u.disabled_at),
    created_at: iso(u.created_at)!,
    password_changed_at: iso(u.password_changed_at)!,
    last_login_at: iso(u.last_login_at),
  };
}

async function mustFind(db: Db, email: string): Promise<repo.UserRow> {
  const u = await repo.findByEmail(db.pool, email.trim());
  if (!u) throw new AppError('not_found', `no user with e-mail "${email.trim()}"; see: awa user list`);
  return u;
}

/**
 * Adds a person who signs in with e-mail and password. Without a password AWA generates a one-time
 * one (returned once; the user must replace it on first sign-in); a given one must pass the rules.
 */
export async function createUser(
  db: Db,
  input: { email: string; role: string; name?: string; password?: string },
  ctx: Acting,
): Promise<Credentials> {
  const email = parseEmail(input.email);
  const role = parseRole(input.role);
  const name = parseName(input.name, email);
  if (input.password !== undefined) checkPassword(input.password, email);
  const password = input.password ?? generatePassword();
  const hash = await hashPassword(password);
  const at = ctx.clock.now();
  try {
    await withTransaction(db, async (tx) => {
      await repo.insertUser(tx, { email, name, role, hash, mustChange: input.password === undefined, at });
      if (ctx.audit === false) return;
      await repo.insertAuditEvent(tx, {
        at,
        actor: ctx.actor,
        role: null,
        event: 'user_created',
        route: 'awa user create',
        details: { email, role, generated_password: input.password === undefined },
      });
    });
  } catch (err) {
    if ((err as { code?: string }).code === '23505') {
      throw new AppError('conflict', `a user with e-mail "${email}" already exists`, { field: 'email' });
    }
    throw err;
  }
  return { email, name, role, ...(input.password === undefined ? { password } : {}) };
}

export async function listUsers(db: Db): Promise<UserInfo[]> {
  return (await repo.listUsers(db.pool)).map(info);
}

/** Stops a user signing in and ends their sessions at once, in every process. */
export async function disableUser(
  db: Db,
  cache: Cache,
  email: string,
  ctx: Acting & { guard?: UserGuard },
): Promise<{ email: string; disabled_at: string; sessions_revoked: number }> {
  const u = await mustFind(db, email);
  const at = ctx.clock.now();
  const disabledAt = u.disabled_at ?? at;
  const ended = await withTransaction(db, async (tx) => {
    await ctx.guard?.(tx, u);
    await repo.setDisabled(tx, u.id, disabledAt);
    const ids = await sessions.revokeAllOf(tx, u.id, at);
    if (ctx.audit === false) return ids;
    await repo.insertAuditEvent(tx, {
      at,
      actor: ctx.actor,
      role: null,
      event: 'user_disabled',
      route: 'awa user disable',
      details: { email: u.email, sessions_revoked: ids.length },
    });
    return ids;
  });
  await forget(db, cache, ended);
  return { email: u.email, disabled_at: disabledAt.toISOString(), sessions_revoked: ended.length };
}

/**
 * Sets a new password (generated and one-time unless given) and ends the user's sessions. A
 * disabled user stays disabled. `route` names the command in the audit log.
 */
export async function resetPassword(
  db: Db,
  cache: Cache,
  input: { email: string; password?: string },
  ctx: Acting & { route?: string },
): Promise<Credentials & { sessions_revoked: number }> {
  const u = await mustFind(db, input.email);
  if (input.password !== undefined) checkPassword(input.password, u.email);
  const password = input.password ?? generatePassword();
  const hash = await hashPassword(password);
  const at = ctx.clock.now();
  const ended = await withTransaction(db, async (tx) => {
    await repo.setPassword(tx, u.id, { hash, mustChange: input.password === undefined, at });
    const ids = await sessions.revokeAllOf(tx, u.id, at);
    if (ctx.audit === false) return ids;
    await repo.insertAuditEvent(tx, {
      at,
      actor: ctx.actor,
      role: null,
      event: 'password_reset',
      route: ctx.route ?? 'awa user reset-password',
      details: {
        email: u.email,
        generated_password: input.password === undefined,
        sessions_revoked: ids.length,
      },
    });
    return ids;
  });
  await forget(db, cache, ended);
  return {
    email: u.email,
    name: u.name,
    role: u.role as Role,
    ...(input.password === undefined ? { password } : {}),
    sessions_revoked: ended.length,
  };
}

/**
 * A signed-in user replaces their password: the current one must be right (wrong guesses count
 * toward sign-in throttling), the new one must pass the rules; every other session of theirs ends.
 */
export async function changePassword(
  deps: { db: Db; cache: Cache; clock: Clock; throttle: LoginThrottle },
  p: SessionPrincipal,
  input: { current: string; next: string; ip: string },
): Promise<void> {
  const wait = await deps.throttle.retryAfter(p.name, input.ip);
  if (wait > 0) {
    throw new AppError('rate_limited', `too many wrong passwords; try again in ${wait} s`, {
      retry_after_seconds: wait,
    });
  }
  const u = await repo.findById(deps.db.pool, p.userId);
  if (!u || u.disabled_at) throw new AppError('unauthorized', 'this account no longer exists or is disabled');
  if (!(await verifyPassword(u.password_hash, input.current))) {
    await deps.throttle.failed(p.name, input.ip);
    throw new AppError('invalid', 'the current password is wrong', { field: 'current_password' });
  }
  try {
    checkPassword(input.next, u.email);
  } catch (err) {
    throw new AppError('invalid', (err as AppError).message, { field: 'new_password' });
  }
  if (input.next === input.current) {
    throw new AppError('invalid', 'the new password must differ from the current one', {
      field: 'new_password',
    });
  }
  const hash = await hashPassword(input.next);
  const at = deps.clock.now();
  const ended = await withTransaction(deps.db, async (tx) => {
    await repo.setPassword(tx, u.id, { hash, mustChange: false, at });
    return sessions.revokeAllOf(tx, u.id, at, p.sessionId);
  });
  // this session too: its cached principal still says must_change_password
  await forget(deps.db, deps.cache, [...ended, p.sessionId]);
}

/** Lets a disabled user sign in again (with the password they had; sessions stay ended). */
export async function enableUser(db: Db, email: string): Promise<UserInfo> {
  const u = await mustFind(db, email);
  if (u.disabled_at) await repo.setDisabled(db.pool, u.id, null);
  return info({ ...u, disabled_at: null });
}

/** One user as the Team page shows it; 404 naming the e-mail when there is none. */
export async function getUser(db: Db, email: string): Promise<UserInfo> {
  return info(await mustFind(db, email));
}

export const DEMO_ADMIN = { email: 'demo@awa.example', name: 'Demo admin' } as const;

/**
 * `awa demo`'s sign-in: creates the demo admin, or gives it a fresh generated password (only a hash
 * is kept, so the old one cannot be shown again). Not one-time: a newcomer goes straight in.
 */
export async function ensureDemoAdmin(db: Db, cache: Cache, ctx: Acting): Promise<Credentials> {
  const password = generatePassword();
  const existing = await repo.findByEmail(db.pool, DEMO_ADMIN.email);
  if (!existing) {
    await createUser(db, { ...DEMO_ADMIN, role: 'admin', password }, ctx);
  } else {
    await resetPassword(db, cache, { email: DEMO_ADMIN.email, password }, { ...ctx, route: 'awa demo' });
    await repo.restoreAdmin(db.pool, existing.id);
  }
  return { email: DEMO_ADMIN.email, name: DEMO_ADMIN.name, role: 'admin', password };
}
