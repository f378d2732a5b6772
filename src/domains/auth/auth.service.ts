import { randomBytes } from 'node:crypto';
import type { Cache } from '../../platform/cache.ts';
import type { Db } from '../../platform/db/pool.ts';
import { AppError } from '../../platform/errors.ts';
import * as repo from './auth.repo.ts';
import { hashToken, parseRole, type Role, tokenKey } from './principal.ts';
import { notifyInvalidated } from './sessions.repo.ts';

export {
  hashToken,
  hasRole,
  isSession,
  type Principal,
  parseRole,
  ROLES,
  type Role,
  type SessionPrincipal,
  sessionKey,
  tokenKey,
} from './principal.ts';

export interface TokenInfo {
  name: string;
  role: Role;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

function info(r: repo.TokenRow): TokenInfo {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    name: r.name,
    role: r.role as Role,
    prefix: r.prefix,
    created_at: iso(r.created_at)!,
    last_used_at: iso(r.last_used_at),
    revoked_at: iso(r.revoked_at),
  };
}

/** Creates a token; the plain value is returned once and only its hash is stored. */
export async function createToken(
  db: Db,
  input: { name: string; role: string },
): Promise<{ name: string; role: Role; token: string }> {
  const role = parseRole(input.role);
  const name = input.name.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/.test(name)) {
    throw new AppError(
      'invalid',
      `token name "${input.name}" must be 1-64 characters of letters, digits, '.', '_', '@' or '-'`,
    );
  }
  // 32 random bytes: unguessable, so a fast hash (not bcrypt) is safe and keeps auth cheap per request
  const token = `awa_${randomBytes(32).toString('base64url')}`;
  try {
    await repo.insertToken(db.pool, { name, role, hash: hashToken(token), prefix: token.slice(0, 8) });
  } catch (err) {
    if ((err as { code?: string }).code === '23505') {
      throw new AppError(
        'conflict',
        `a token named "${name}" already exists; revoke it first or pick another name`,
      );
    }
    throw err;
  }
  return { name, role, token };
}

export async function listTokens(db: Db, includeRevoked = false): Promise<TokenInfo[]> {
  return (await repo.listTokens(db.pool, includeRevoked)).map(info);
}

export async function revokeToken(db: Db, cache: Cache, name: string): Promise<void> {
  const hash = await repo.revokeByName(db.pool, name);
  if (!hash) throw new AppError('not_found', `no active token named "${name}"`);
  await cache.del(tokenKey(hash)).catch(() => {});
  // every process caching it (a running `awa start`, other replicas) hears this and drops it too
  await notifyInvalidated(db.pool, [tokenKey(hash)]);
}

export { Authenticator } from './authenticator.ts';
