import { randomBytes } from 'node:crypto';
import type { Cache } from '../../platform/cache.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/pool.ts';
import { withTransaction } from '../../platform/db/transaction.ts';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from './passwords.ts';
import { hashToken, type Role, type SessionPrincipal, sessionKey } from './principal.ts';
import * as repo from './sessions.repo.ts';
import type { LoginThrottle } from './throttle.ts';
import * as users from './users.repo.ts';

export interface SessionSettings {
  /** The idle limit a new session gets (SESSION_IDLE_MINUTES). */
  idleMinutes: number;
  /** Absolute lifetime from sign-in (SESSION_MAX_HOURS). */
  maxHours: number;
}

export interface LoginDeps {
  db: Db;
  clock: Clock;
  throttle: LoginThrottle;
  settings: SessionSettings;
}

export interface SignedInUser {
  email: string;
  name: string;
  role: Role;
  must_change_password: boolean;
}

export type LoginResult =
  | { ok: true; user: SignedInUser; cookie: string; csrfToken: string; expiresAt: Date }
  | { ok: false; reason: 'bad_credentials' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

// ended sessions stay a while (who signed in from where), then go
const KEEP_ENDED_DAYS = 30;

/**
 * Checks an e-mail and password and opens a session. Unknown e-mail, wrong password and disabled
 * user are one answer, reached through one Argon2 verify each (against a dummy hash when there is
 * no user), so neither the reply nor its timing tells whether an account exists.
 */
export async function login(
  deps: LoginDeps,
  input: { email: string; password: string; ip: string; userAgent?: string },
): Promise<LoginResult> {
  const email = input.email.trim();
  const wait = await deps.throttle.retryAfter(email, input.ip);
  if (wait > 0) return { ok: false, reason: 'throttled', retryAfterSeconds: wait };
  const user = await users.findByEmail(deps.db.pool, email);
  const ok = await verifyPassword(user?.password_hash ?? (await dummyHash()), input.password);
  if (!user || !ok || user.disabled_at) {
    await deps.throttle.failed(email, input.ip);
    return { ok: false, reason: 'bad_credentials' };
  }
  await deps.throttle.succeeded(email, input.ip);
  const now = deps.clock.now();
  const cookie = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + deps.settings.maxHours * 3_600_000);
  const rehash = needsRehash(user.password_hash) ? await hashPassword(input.password) : undefined;
  await withTransaction(deps.db, async (tx) => {
    await repo.insertSession(tx, {
      id: hashToken(cookie),
      userId: user.id,
      csrf: csrfToken,
      at: now,
      expiresAt,
      idleMinutes: deps.settings.idleMinutes,
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 512) ?? null,
    });
    await users.setLastLogin(tx, user.id, now);
    if (rehash) await users.replaceHash(tx, user.id, rehash);
    await repo.purgeEnded(tx, user.id, new Date(now.getTime() - KEEP_ENDED_DAYS * 86_400_000));
  });
  return {
    ok: true,
    user: {
      email: user.email,
      name: user.name,
      role: user.role as Role,
      must_change_password: user.must_change_password,
    },
    cookie,
    csrfToken,
    expiresAt,
  };
}

/** Ends the session at once, here and in every process that cached it. */
export async function logout(db: Db, cache: Cache, clock: Clock, p: SessionPrincipal): Promise<void> {
  await repo.revoke(db.pool, p.sessionId, clock.now());
  await forget(db, cache, [p.sessionId]);
}

/** Drops sessions from this process's cache and announces it to the others (LISTEN awa_auth). */
export async function forget(db: Db, cache: Cache, sessionIds: string[]): Promise<void> {
  const keys = sessionIds.map(sessionKey);
  for (const k of keys) await cache.del(k).catch(() => {});
  await repo.notifyInvalidated(db.pool, keys);
}
